using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// The PoE module's parameters: the reference asset prices are expressed in (SPEC 6: EXT) and the
/// wash-trading guard, an account's reward cap as parts per million of the fees it paid in the
/// epoch valued in the reference asset (default 900,000 = 0.9). Not yet in genesis: fixed at these
/// values until a "poe" genesis section exists (docs/poe.md, "Not done yet").
/// </summary>
public sealed record PoeParameters(string ReferenceAsset, ulong WashCapPpm)
{
    public const ulong PpmDenominator = 1_000_000;

    public static PoeParameters Mainnet { get; } = new(AssetSymbol.Native, 900_000);
}
