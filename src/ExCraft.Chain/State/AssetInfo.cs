using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.State;

/// <summary>An asset's record: decimals, total supply in base units, issuer and the height it was issued at.</summary>
public sealed record AssetInfo(string Symbol, byte Decimals, UInt128 Supply, Address Issuer, ulong IssuedAtHeight)
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Decimals), Rlp.EncodeUInt(Supply), Rlp.EncodeBytes(Issuer.ToBytes()), Rlp.EncodeUInt(IssuedAtHeight));

    public static AssetInfo Decode(string symbol, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(4, "asset");
        return new AssetInfo(symbol, (byte)f[0].AsUInt64(), f[1].AsUInt128(), new Address(f[2].AsFixed(Address.Length, "issuer")), f[3].AsUInt64());
    }
}
