namespace ExCraft.Chain.State;

/// <summary>
/// Uncommitted state changes layered over a reader. A transaction runs in an overlay over the
/// block's overlay so a failed transaction is dropped whole; the block's overlay becomes one
/// write batch. Writes are kept sorted so the write set (and so the app hash) is the same on
/// every node whatever order the changes were made in.
/// </summary>
public sealed class StateOverlay(IStateReader parent) : IStateReader
{
    private readonly SortedDictionary<byte[], byte[]?> _writes = new(ByteArrayComparer.Instance);

    public byte[]? Get(byte[] key) => _writes.TryGetValue(key, out var value) ? value : parent.Get(key);

    /// <summary>The parent's entries with this overlay's changes applied, in key order.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix)
    {
        var merged = new SortedDictionary<byte[], byte[]?>(ByteArrayComparer.Instance);
        foreach (var (key, value) in parent.IteratePrefix(prefix)) merged[key] = value;
        foreach (var (key, value) in _writes)
        {
            if (key.AsSpan().StartsWith(prefix)) merged[key] = value;
        }
        return merged.Where(kv => kv.Value is not null).Select(kv => new KeyValuePair<byte[], byte[]>(kv.Key, kv.Value!)).ToList();
    }

    public void Set(byte[] key, byte[] value) => _writes[key] = value;

    public void Delete(byte[] key) => _writes[key] = null;

    /// <summary>Changes in key order; a null value is a deletion.</summary>
    public IReadOnlyCollection<KeyValuePair<byte[], byte[]?>> Writes => _writes;

    /// <summary>Applies this overlay's changes onto another overlay (normally its parent).</summary>
    public void MergeInto(StateOverlay target)
    {
        foreach (var (key, value) in _writes) target._writes[key] = value;
    }
}
