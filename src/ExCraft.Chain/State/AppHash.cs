using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.State;

/// <summary>
/// The app hash chains each block's state changes onto the previous app hash:
/// next = keccak256(previous || keccak256(rlp([[key, value]...]))) over the block's writes in key
/// order, a deletion written as [key]. Every node that starts from the same genesis and applies
/// the same blocks gets the same hash, and any difference in any write changes it.
/// </summary>
public static class AppHash
{
    public static readonly byte[] Initial = new byte[32];

    public static byte[] Next(byte[] previous, IReadOnlyCollection<KeyValuePair<byte[], byte[]?>> sortedWrites)
    {
        var entries = sortedWrites.Select(w => w.Value is null
            ? Rlp.EncodeList(Rlp.EncodeBytes(w.Key))
            : Rlp.EncodeList(Rlp.EncodeBytes(w.Key), Rlp.EncodeBytes(w.Value)));
        return Keccak256.HashConcat(previous, Keccak256.Hash(Rlp.EncodeList(entries)));
    }
}
