using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Genesis;

/// <summary>
/// The PoE module's parameters (SPEC 6, docs/poe.md): the reference asset closing prices are
/// expressed in (SPEC 6: EXT) and the wash-trading guard, an account's reward cap as parts per
/// million of the fees it paid in the epoch valued in the reference asset (default 900,000 = 0.9),
/// and how many accounts' close work one block may do (docs/poe.md, "The close spread over blocks").
/// </summary>
public sealed record PoeParameters(string ReferenceAsset, ulong WashCapPpm, ulong CloseChunkAccounts = PoeParameters.DefaultCloseChunkAccounts)
{
    public const ulong PpmDenominator = 1_000_000;

    /// <summary>Close account-steps per block, shared by the PoE close (value, pay) and the pools close (tally, pay); measured in docs/BENCHMARKS.md "Epoch end at scale".</summary>
    public const ulong DefaultCloseChunkAccounts = 5_000;

    /// <summary>Upper bound of close_chunk_accounts: a chunk this large already is the whole close of any measured chain.</summary>
    public const ulong MaxCloseChunkAccounts = 10_000_000;

    public static PoeParameters Mainnet { get; } = new(AssetSymbol.Native, 900_000);

    /// <summary>
    /// The cap is 1..1,000,000 ppm: 0 would pay no PoE reward at all, and above 100% of the fees
    /// a wash trade would earn more than it costs, which is what the guard exists to prevent.
    /// </summary>
    public void Validate(IReadOnlyCollection<string> assets)
    {
        if (!assets.Contains(ReferenceAsset))
            throw new GenesisException($"poe reference_asset {ReferenceAsset} is not a genesis asset (known: {string.Join(", ", assets)})");
        if (WashCapPpm is 0 or > PpmDenominator)
            throw new GenesisException($"poe wash_cap_ppm must be between 1 and {PpmDenominator} (a cap above the fees paid would make wash trading pay), got {WashCapPpm}");
        if (CloseChunkAccounts is 0 or > MaxCloseChunkAccounts)
            throw new GenesisException($"poe close_chunk_accounts must be between 1 and {MaxCloseChunkAccounts} (accounts of an epoch's close done per block), got {CloseChunkAccounts}");
    }
}

/// <summary>
/// "modules": {"poe": {"reference_asset": "EXT", "wash_cap_ppm": 900000, "close_chunk_accounts": 20000}}. Absent, or a field left
/// out, is the mainnet value (<see cref="PoeParameters.Mainnet"/>).
/// </summary>
public static class PoeGenesisSection
{
    public const string Name = "poe";

    public static PoeParameters Read(JsonElement? section)
    {
        var d = PoeParameters.Mainnet;
        if (section is not { } s) return d;
        if (s.ValueKind != JsonValueKind.Object) throw new FormatException("module section \"poe\": expected an object");
        foreach (var field in s.EnumerateObject())
        {
            if (field.Name is not ("reference_asset" or "wash_cap_ppm" or "close_chunk_accounts"))
                throw new FormatException($"module section \"poe\": unknown field \"{field.Name}\" (known: reference_asset, wash_cap_ppm, close_chunk_accounts)");
        }
        return new PoeParameters(
            s.Or("reference_asset", JsonFields.Text, d.ReferenceAsset),
            s.Or("wash_cap_ppm", e => e.GetUInt64(), d.WashCapPpm),
            s.Or("close_chunk_accounts", e => e.GetUInt64(), d.CloseChunkAccounts));
    }

    /// <summary>
    /// The canonical bytes the genesis hash covers: rlp([reference asset, wash cap ppm]), with the
    /// close chunk size as a third item only when it is not the default (so existing genesis hashes stay).
    /// </summary>
    public static byte[] Encode(GenesisConfig g) => g.Poe.CloseChunkAccounts == PoeParameters.DefaultCloseChunkAccounts
        ? Rlp.EncodeList(Rlp.EncodeString(g.Poe.ReferenceAsset), Rlp.EncodeUInt(g.Poe.WashCapPpm))
        : Rlp.EncodeList(Rlp.EncodeString(g.Poe.ReferenceAsset), Rlp.EncodeUInt(g.Poe.WashCapPpm), Rlp.EncodeUInt(g.Poe.CloseChunkAccounts));

    public static JsonObject Write(GenesisConfig g) => new()
    {
        ["reference_asset"] = g.Poe.ReferenceAsset,
        ["wash_cap_ppm"] = g.Poe.WashCapPpm,
        ["close_chunk_accounts"] = g.Poe.CloseChunkAccounts,
    };
}
