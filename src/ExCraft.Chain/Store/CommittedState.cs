using ExCraft.Chain.State;
using ExCraft.Storage;

namespace ExCraft.Chain.Store;

/// <summary>Reads the committed state straight from the store (the 'S' table).</summary>
public sealed class CommittedState(IKeyValueStore store) : IStateReader
{
    public byte[]? Get(byte[] key) => store.Get(ChainKeys.StateKey(key));

    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix) =>
        store.IteratePrefix(ChainKeys.StateKey(prefix)).Select(WithoutTable);

    public IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var comparer = ByteArrayComparer.Instance;
        // The store's seek lands on the first key at or after its start; a start before the
        // prefix (or none) begins at the prefix itself.
        var start = startAfter is not null && comparer.Compare(startAfter, prefix) > 0 ? startAfter : prefix;
        var result = new List<KeyValuePair<byte[], byte[]>>(Math.Min(limit, 1024));
        if (limit == 0) return result;
        foreach (var entry in store.IterateFrom(ChainKeys.StateKey(start), ChainKeys.StateKey(prefix)).Select(WithoutTable))
        {
            if (startAfter is not null && comparer.Compare(entry.Key, startAfter) <= 0) continue;
            result.Add(entry);
            if (result.Count == limit) break;
        }
        return result;
    }

    private static KeyValuePair<byte[], byte[]> WithoutTable(KeyValuePair<byte[], byte[]> stored) => new(stored.Key[1..], stored.Value);
}
