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

    // The written keys again, as a set: SortedDictionary has no range query, and a prefix scan
    // must not walk every write of the block (an epoch end writes hundreds of thousands of keys
    // and then scans many small prefixes).
    private readonly SortedSet<byte[]> _keys = new(ByteArrayComparer.Instance);

    public byte[]? Get(byte[] key) => _writes.TryGetValue(key, out var value) ? value : parent.Get(key);

    /// <summary>
    /// The parent's entries with this overlay's changes applied, in key order, as a list taken
    /// when called (later writes do not show in it). One ordered merge of the parent's scan with
    /// this overlay's writes in the prefix's key range.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix)
    {
        var comparer = ByteArrayComparer.Instance;
        var result = new List<KeyValuePair<byte[], byte[]>>();
        using var own = WrittenKeysWithPrefix(prefix).GetEnumerator();
        var hasOwn = own.MoveNext();
        foreach (var entry in parent.IteratePrefix(prefix))
        {
            var order = -1;
            while (hasOwn && (order = comparer.Compare(own.Current, entry.Key)) < 0)
            {
                AddWritten(result, own.Current);
                hasOwn = own.MoveNext();
            }
            if (hasOwn && order == 0)
            {
                AddWritten(result, own.Current); // this overlay's value (or deletion) replaces the parent's
                hasOwn = own.MoveNext();
            }
            else result.Add(entry);
        }
        for (; hasOwn; hasOwn = own.MoveNext()) AddWritten(result, own.Current);
        return result;
    }

    public void Set(byte[] key, byte[] value)
    {
        _writes[key] = value;
        _keys.Add(key);
    }

    public void Delete(byte[] key)
    {
        _writes[key] = null;
        _keys.Add(key);
    }

    /// <summary>Changes in key order; a null value is a deletion.</summary>
    public IReadOnlyCollection<KeyValuePair<byte[], byte[]?>> Writes => _writes;

    /// <summary>Applies this overlay's changes onto another overlay (normally its parent).</summary>
    public void MergeInto(StateOverlay target)
    {
        foreach (var (key, value) in _writes)
        {
            target._writes[key] = value;
            target._keys.Add(key);
        }
    }

    private void AddWritten(List<KeyValuePair<byte[], byte[]>> result, byte[] key)
    {
        if (_writes[key] is { } value) result.Add(new KeyValuePair<byte[], byte[]>(key, value));
    }

    /// <summary>Written keys (deletions included) starting with the prefix, in key order, found by a range view instead of a walk over all writes.</summary>
    private IEnumerable<byte[]> WrittenKeysWithPrefix(byte[] prefix)
    {
        if (_keys.Count == 0) return [];
        if (prefix.Length == 0) return _keys;
        var upper = Successor(prefix);
        if (upper is null)
        {
            // The prefix is all 0xFF bytes: nothing sorts after its range, so the range runs to the largest key.
            var max = _keys.Max!;
            if (ByteArrayComparer.Instance.Compare(prefix, max) > 0) return [];
            upper = max;
        }
        // The view includes its upper bound; the successor itself does not start with the prefix.
        return _keys.GetViewBetween(prefix, upper).Where(k => k.AsSpan().StartsWith(prefix));
    }

    /// <summary>The smallest key greater than every key starting with the prefix (null if there is none).</summary>
    private static byte[]? Successor(byte[] prefix)
    {
        var end = prefix.Length;
        while (end > 0 && prefix[end - 1] == 0xFF) end--;
        if (end == 0) return null;
        var upper = prefix[..end];
        upper[end - 1]++;
        return upper;
    }
}
