using System.Buffers;
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

    /// <summary>A pool of its own for the encoded writes (megabytes in an order block): the shared pool keeps arrays per thread and lets them go at every full collection.</summary>
    private static readonly ArrayPool<byte> Buffers = ArrayPool<byte>.Create(1 << 30, 2);

    public static byte[] Next(byte[] previous, IReadOnlyCollection<KeyValuePair<byte[], byte[]?>> sortedWrites)
    {
        // The bytes of composing Rlp.EncodeList over the entries, written once into a pooled
        // buffer: an order block has ~100,000 writes, which made three small arrays each and a
        // large list every block (docs/BENCHMARKS.md e2e-orders round 6).
        var payload = 0;
        foreach (var (key, value) in sortedWrites)
        {
            var entry = EntryPayload(key, value);
            payload += Rlp.ListHeaderLength(entry) + entry;
        }
        var length = Rlp.ListHeaderLength(payload) + payload;
        var buffer = Buffers.Rent(length);
        try
        {
            var output = buffer.AsSpan(0, length);
            var offset = Rlp.WriteListHeader(output, payload);
            foreach (var (key, value) in sortedWrites)
            {
                offset += Rlp.WriteListHeader(output[offset..], EntryPayload(key, value));
                offset += Rlp.WriteBytes(output[offset..], key);
                if (value is not null) offset += Rlp.WriteBytes(output[offset..], value);
            }
            return Keccak256.HashConcat(previous, Keccak256.Hash(output));
        }
        finally
        {
            Buffers.Return(buffer);
        }
    }

    private static int EntryPayload(byte[] key, byte[]? value) => Rlp.BytesLength(key) + (value is null ? 0 : Rlp.BytesLength(value));
}
