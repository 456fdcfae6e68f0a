using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Store;

/// <summary>The last committed block: its height and hash, and the app hash of the state after it.</summary>
public sealed record ChainHead(ulong Height, byte[] BlockHash, byte[] AppHash, ulong TimeMs)
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Height), Rlp.EncodeBytes(BlockHash), Rlp.EncodeBytes(AppHash), Rlp.EncodeUInt(TimeMs));

    public static ChainHead Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(4, "chain head");
        return new ChainHead(f[0].AsUInt64(), f[1].AsFixed(32, "block hash"), f[2].AsFixed(32, "app hash"), f[3].AsUInt64());
    }
}
