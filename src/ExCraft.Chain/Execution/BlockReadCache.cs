using System.Collections.Concurrent;
using ExCraft.Chain.State;

namespace ExCraft.Chain.Execution;

/// <summary>
/// The committed state as one block's execution reads it: each key's value is fetched from the
/// store once per block and then answered from memory (a null, "absent", too). The block's own
/// writes live in the overlay above this, so the cache only ever holds committed values, which
/// cannot change while the block runs (commits happen after execution, on the same path). Without
/// it every transaction re-read the same unchanged records from RocksDB: in an order block, the
/// market record once per place_order. Prefix scans pass through. Values are shared, as the
/// overlay's own are: readers must not modify a returned array. The epoch close reads through it
/// from several threads at once (SlotParallel), so the map is a concurrent one: two threads
/// missing the same key both read the same committed value, and either store is the same.
/// </summary>
internal sealed class BlockReadCache(IStateReader committed) : IStateReader
{
    private readonly ConcurrentDictionary<byte[], byte[]?> _values = new(ByteArrayComparer.Instance);

    public byte[]? Get(byte[] key)
    {
        if (_values.TryGetValue(key, out var value)) return value;
        value = committed.Get(key);
        _values.TryAdd(key, value);
        return value;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix) => committed.IteratePrefix(prefix);

    public IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit) =>
        committed.IteratePrefixFrom(prefix, startAfter, limit);
}
