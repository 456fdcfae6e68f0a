using System.Numerics;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>How an epoch's closing price of an asset was found (docs/poe.md, "Closing prices").</summary>
public enum PriceSource : byte
{
    /// <summary>The reference asset itself (EXT): one whole token is 10^decimals of its base units.</summary>
    Reference = 0,
    /// <summary>The last qualifying trade of the asset against the reference asset in the epoch.</summary>
    Direct = 1,
    /// <summary>The last qualifying trade against an intermediate asset, valued at that asset's direct price of the same epoch.</summary>
    Intermediate = 2,
    /// <summary>No trade to price it in the epoch: the latest earlier closing price (FromEpoch says which).</summary>
    Carried = 3,
    /// <summary>Never priced: quantities of it count 0.</summary>
    Unpriceable = 4,
}

/// <summary>
/// An asset's closing price for an epoch: reference-asset base units per whole token of the asset
/// (10^Decimals of its base units), rounded down once. Via is the intermediate asset (Intermediate)
/// and FromEpoch the epoch whose price was carried (Carried); both empty/zero otherwise.
/// </summary>
public sealed record ClosingPrice(string Asset, byte Decimals, UInt128 Price, PriceSource Source, string Via, ulong FromEpoch)
{
    /// <summary>What a quantity of the asset is worth in reference base units: floor(quantity * price / 10^decimals); 0 when unpriceable; unbounded, the caller sums and caps.</summary>
    public BigInteger Value(UInt128 quantity) => (BigInteger)quantity * Price / BigInteger.Pow(10, Decimals);

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Asset), Rlp.EncodeUInt(Decimals), Rlp.EncodeUInt(Price), Rlp.EncodeUInt((ulong)Source),
        Rlp.EncodeString(Via), Rlp.EncodeUInt(FromEpoch));

    public static ClosingPrice Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(6, "poe closing price");
        return new ClosingPrice(f[0].AsUtf8(), (byte)f[1].AsUInt64(), f[2].AsUInt128(), (PriceSource)f[3].AsUInt64(), f[4].AsUtf8(), f[5].AsUInt64());
    }

    public static string SourceName(PriceSource source) => source switch
    {
        PriceSource.Reference => "reference",
        PriceSource.Direct => "direct",
        PriceSource.Intermediate => "intermediate",
        PriceSource.Carried => "carried",
        PriceSource.Unpriceable => "unpriceable",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };
}
