namespace ExCraft.Storage;

/// <summary>
/// Lazy, ordered enumerations over a database or snapshot. A scan opens one iterator per column family that
/// can hold a key with the prefix (usually one) and merges them: families hold disjoint keys, so taking the
/// smallest (largest when reverse) current key each step yields the whole store's order.
/// </summary>
internal static class Iteration
{
    internal static IEnumerable<KeyValuePair<byte[], byte[]>> Prefix(DbHandle db, SnapshotHandle? snapshot, byte[] prefix)
        => Run(db, snapshot, start: null, prefix, reverse: false);

    internal static IEnumerable<KeyValuePair<byte[], byte[]>> From(DbHandle db, SnapshotHandle? snapshot, byte[] start, byte[] prefix, bool reverse)
        => Run(db, snapshot, start, prefix, reverse);

    /// <summary>
    /// Smallest key greater than every key that starts with <paramref name="prefix"/>
    /// (drop trailing 0xFF bytes, then increment the last byte); null if no such key exists
    /// (empty prefix or a prefix made only of 0xFF bytes).
    /// </summary>
    internal static byte[]? PrefixSuccessor(ReadOnlySpan<byte> prefix)
    {
        int end = prefix.Length;
        while (end > 0 && prefix[end - 1] == 0xFF)
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        byte[] successor = prefix[..end].ToArray();
        successor[end - 1]++;
        return successor;
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> Run(DbHandle db, SnapshotHandle? snapshot, byte[]? start, byte[] prefix, bool reverse)
    {
        // Bounds only speed things up (RocksDB skips tombstones past them); the managed prefix check
        // defines the semantics. Forward walks get an exclusive upper bound, reverse walks an inclusive
        // lower bound, so a bound never moves the initial seek position.
        byte[]? lower = reverse && prefix.Length > 0 ? prefix : null;
        byte[]? upper = reverse ? null : PrefixSuccessor(prefix);

        int[] families = db.Layout.FamiliesFor(prefix);
        var iterators = new List<IteratorHandle>(families.Length);
        try
        {
            foreach (int family in families)
            {
                var iterator = new IteratorHandle(db, family, snapshot, lower, upper);
                iterators.Add(iterator);
                if (start is not null)
                {
                    iterator.Seek(start, forPrevious: reverse);
                }
                else if (prefix.Length > 0)
                {
                    iterator.Seek(prefix, forPrevious: false);
                }
                else
                {
                    iterator.SeekToFirst();
                }
            }

            while (Next(iterators, prefix, reverse) is { } current)
            {
                yield return current.CopyCurrent();
                current.Step(reverse);
            }
        }
        finally
        {
            foreach (IteratorHandle iterator in iterators)
            {
                iterator.Dispose();
            }
        }
    }

    /// <summary>The iterator whose current in-prefix key comes first in walk order, or null when all are done.</summary>
    private static IteratorHandle? Next(List<IteratorHandle> iterators, byte[] prefix, bool reverse)
    {
        IteratorHandle? best = null;
        ReadOnlySpan<byte> bestKey = default;
        foreach (IteratorHandle iterator in iterators)
        {
            if (!iterator.TryCurrentKey(prefix, out ReadOnlySpan<byte> key))
            {
                continue;
            }

            int order = best is null ? -1 : key.SequenceCompareTo(bestKey);
            if (best is null || (reverse ? order > 0 : order < 0))
            {
                best = iterator;
                bestKey = key;
            }
        }

        return best;
    }
}
