using System.Collections;

namespace ExCraft.Chain.State;

/// <summary>
/// Uncommitted state changes layered over a reader. A transaction runs in an overlay over the
/// block's overlay so a failed transaction is dropped whole; the block's overlay becomes one
/// write batch. Writes are kept sorted so the write set (and so the app hash) is the same on
/// every node whatever order the changes were made in.
/// </summary>
public sealed class StateOverlay(IStateReader parent) : IStateReader
{
    // One sorted set of writes, not a SortedDictionary: a set can hand out a range view, so a
    // prefix scan visits only the writes in the prefix's range instead of every write of the block
    // (an epoch end writes hundreds of thousands of keys, then scans many small prefixes).
    private readonly SortedSet<Write> _writes = new(WriteOrder.Instance);

    // The same writes by key, for point reads and rewrites: a hash lookup instead of a walk down
    // the tree (a block's overlay holds tens of thousands of keys, and every transaction's writes
    // are merged into it one by one; most of them rewrite a key the block already wrote: a
    // sender's nonce, balances, locks). Built once the overlay holds IndexFrom writes, so the small
    // overlay of each transaction stays a bare tree.
    private Dictionary<byte[], Write>? _index;
    private const int IndexFrom = 32;

    public byte[]? Get(byte[] key) => Find(key) is { } write ? write.Value : parent.Get(key);

    /// <summary>
    /// The parent's entries with this overlay's changes applied, in key order, as a list taken
    /// when called (later writes do not show in it). One ordered merge of the parent's scan with
    /// this overlay's writes in the prefix's key range.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix) =>
        Merge(parent.IteratePrefix(prefix), WritesInRange(prefix, startAfter: null), int.MaxValue);

    /// <summary>
    /// A bounded page of the merged view: the parent is read a page at a time from the same
    /// start, so the cost is the page plus this overlay's writes (and deletions) in the range
    /// read, never the rest of the prefix.
    /// </summary>
    public IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Merge(ParentPages(prefix, startAfter, Math.Max(limit, 64)), WritesInRange(prefix, startAfter), limit);
    }

    /// <summary>The parent's entries after the start, read lazily a page at a time (deletions here may hide some, so more than one page can be needed).</summary>
    private IEnumerable<KeyValuePair<byte[], byte[]>> ParentPages(byte[] prefix, byte[]? startAfter, int pageSize)
    {
        var cursor = startAfter;
        while (true)
        {
            var page = parent.IteratePrefixFrom(prefix, cursor, pageSize);
            foreach (var entry in page) yield return entry;
            if (page.Count < pageSize) yield break;
            cursor = page[^1].Key;
        }
    }

    /// <summary>One ordered merge of the parent's entries with this overlay's writes of the same range, stopping at the limit.</summary>
    private static List<KeyValuePair<byte[], byte[]>> Merge(IEnumerable<KeyValuePair<byte[], byte[]>> parentEntries, IEnumerable<Write> ownWrites, int limit)
    {
        var comparer = ByteArrayComparer.Instance;
        var result = new List<KeyValuePair<byte[], byte[]>>();
        if (limit == 0) return result;
        using var own = ownWrites.GetEnumerator();
        var hasOwn = own.MoveNext();
        foreach (var entry in parentEntries)
        {
            var order = -1;
            while (hasOwn && (order = comparer.Compare(own.Current.Key, entry.Key)) < 0)
            {
                AddIfSet(result, own.Current);
                if (result.Count == limit) return result;
                hasOwn = own.MoveNext();
            }
            if (hasOwn && order == 0)
            {
                AddIfSet(result, own.Current); // this overlay's value (or deletion) replaces the parent's
                hasOwn = own.MoveNext();
            }
            else result.Add(entry);
            if (result.Count == limit) return result;
        }
        for (; hasOwn && result.Count < limit; hasOwn = own.MoveNext()) AddIfSet(result, own.Current);
        return result;
    }

    public void Set(byte[] key, byte[] value) => Put(key, value);

    /// <summary>
    /// Sets a value as the object that encodes it: kept with the write (through merges into the
    /// block's overlay), never stored. A reader in the same block gets it back from
    /// <see cref="ReadDecoded"/> instead of decoding bytes (a block's queued orders and its trades
    /// are written and read back within the block: about 3 KB of decoding per order,
    /// docs/BENCHMARKS.md e2e-orders round 6), and the bytes are encoded only when first read: a
    /// queued order is deleted at the block's end, so it is never encoded at all (round 7).
    /// </summary>
    public void Set(byte[] key, IStateValue value) => Put(key, null, value);

    public void Delete(byte[] key) => Put(key, null);

    /// <summary>The reader this overlay layers over (the primary constructor's parameter is not reachable from another overlay).</summary>
    private IStateReader Parent => parent;

    /// <summary>
    /// The value under the key as an object: the one written with it in this overlay or an
    /// overlay below it when there is one, else <paramref name="decode"/> of the bytes; null when absent.
    /// </summary>
    public static T? ReadDecoded<T>(IStateReader reader, byte[] key, Func<byte[], T> decode) where T : class
    {
        for (var current = reader; current is StateOverlay overlay; current = overlay.Parent)
        {
            if (overlay.Find(key) is not { } write) continue;
            if (write.IsDeletion) return null;
            return write.Decoded as T ?? decode(write.Value!);
        }
        return reader.Get(key) is { } value ? decode(value) : null;
    }

    /// <summary>
    /// Many changes at once, the same as <see cref="Set"/> (or <see cref="Delete"/> for a null
    /// value) of each in turn, for keys that are all different: one sort and one ordered merge
    /// into the write set instead of a tree insert per key (an epoch end writes ~300,000 keys).
    /// A key given twice is a programming error: it throws, and the block fails.
    /// </summary>
    public void PutMany(IReadOnlyCollection<KeyValuePair<byte[], byte[]?>> writes)
    {
        var fresh = new List<Write>(writes.Count);
        foreach (var (key, value) in writes)
        {
            if (Find(key) is { } existing) existing.Set(value, null); // already changed in this overlay: replace the change
            else fresh.Add(new Write(key, value));
        }
        var batch = new SortedSet<Write>(fresh, WriteOrder.Instance);
        if (batch.Count != fresh.Count) throw new ArgumentException("StateOverlay.PutMany: a key is given twice");
        _writes.UnionWith(batch); // a sorted set of the same order, larger than half of this one: merged in one pass
        if (_index is not null)
            foreach (var write in batch) _index.Add(write.Key, write);
        else IndexWhenLarge();
    }

    /// <summary>Changes in key order; a null value is a deletion.</summary>
    public IReadOnlyCollection<KeyValuePair<byte[], byte[]?>> Writes => new WriteList(_writes);

    /// <summary>Applies this overlay's changes onto another overlay (normally its parent).</summary>
    public void MergeInto(StateOverlay target)
    {
        foreach (var write in _writes) target.Put(write.Key, write.EncodedSoFar, write.Decoded);
    }

    private void Put(byte[] key, byte[]? value, IStateValue? decoded = null)
    {
        if (_index is not null)
        {
            if (_index.TryGetValue(key, out var known)) known.Set(value, decoded);
            else
            {
                var added = new Write(key, value, decoded);
                _writes.Add(added);
                _index.Add(key, added);
            }
            return;
        }
        // Add first: a new key costs one walk down the tree, not two.
        var write = new Write(key, value, decoded);
        if (!_writes.Add(write) && _writes.TryGetValue(write, out var existing)) existing.Set(value, decoded);
        else IndexWhenLarge();
    }

    private Write? Find(byte[] key)
    {
        if (_index is not null) return _index.GetValueOrDefault(key);
        return _writes.TryGetValue(new Write(key, null), out var write) ? write : null;
    }

    private void IndexWhenLarge()
    {
        if (_writes.Count < IndexFrom) return;
        _index = new Dictionary<byte[], Write>(_writes.Count * 2, ByteArrayComparer.Instance);
        foreach (var write in _writes) _index.Add(write.Key, write);
    }

    private static void AddIfSet(List<KeyValuePair<byte[], byte[]>> result, Write write)
    {
        if (write.Value is { } value) result.Add(new KeyValuePair<byte[], byte[]>(write.Key, value));
    }

    /// <summary>
    /// Writes (deletions included) whose key starts with the prefix and sorts after
    /// <paramref name="startAfter"/> (null: all of the prefix), in key order, from a range view of the set.
    /// </summary>
    private IEnumerable<Write> WritesInRange(byte[] prefix, byte[]? startAfter)
    {
        if (_writes.Count == 0) return [];
        var comparer = ByteArrayComparer.Instance;
        var lower = startAfter is not null && comparer.Compare(startAfter, prefix) > 0 ? startAfter : prefix;
        var upper = Successor(prefix);
        if (upper is null)
        {
            // The prefix is all 0xFF bytes (or empty): nothing sorts after its range, so the range runs to the largest key.
            upper = _writes.Max!.Key;
        }
        if (comparer.Compare(lower, upper) > 0) return [];
        // The view includes both bounds: the successor does not start with the prefix, and the start is excluded when given.
        return _writes.GetViewBetween(new Write(lower, null), new Write(upper, null))
            .Where(w => w.Key.AsSpan().StartsWith(prefix) && (startAfter is null || comparer.Compare(w.Key, startAfter) > 0));
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

    /// <summary>
    /// One changed key: its new value, or a deletion, and the object the value encodes when the
    /// writer gave one (then the bytes are encoded from it on first read).
    /// </summary>
    private sealed class Write(byte[] key, byte[]? value, IStateValue? decoded = null)
    {
        private byte[]? _value = value;

        public byte[] Key { get; } = key;

        /// <summary>The bytes, or null for a deletion.</summary>
        public byte[]? Value => _value ??= Decoded?.Encode();

        /// <summary>The bytes if made yet (null for a deletion or a value not encoded yet): a merge passes the write on as it is.</summary>
        public byte[]? EncodedSoFar => _value;

        public IStateValue? Decoded { get; private set; } = decoded;

        public bool IsDeletion => _value is null && Decoded is null;

        /// <summary>A new value replaces the old one and whatever object came with it.</summary>
        public void Set(byte[]? value, IStateValue? decoded)
        {
            _value = value;
            Decoded = decoded;
        }
    }

    private sealed class WriteOrder : IComparer<Write>
    {
        public static readonly WriteOrder Instance = new();

        public int Compare(Write? x, Write? y) => ByteArrayComparer.Instance.Compare(x?.Key, y?.Key);
    }

    /// <summary>The writes as key/value pairs, read through (no copy).</summary>
    private sealed class WriteList(SortedSet<Write> writes) : IReadOnlyCollection<KeyValuePair<byte[], byte[]?>>
    {
        public int Count => writes.Count;

        public IEnumerator<KeyValuePair<byte[], byte[]?>> GetEnumerator()
        {
            foreach (var write in writes) yield return new KeyValuePair<byte[], byte[]?>(write.Key, write.Value);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
