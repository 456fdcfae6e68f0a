using System.Runtime.InteropServices;
using static ExCraft.Storage.Native.NativeMethods;

namespace ExCraft.Storage.Native;

/// <summary>
/// Owns a <c>rocksdb_iterator_t*</c>, its private read options and the native copy of the iterate bound
/// (RocksDB keeps only a pointer to the bound, so the bytes must outlive the iterator). Holds references
/// on the database (and snapshot) handles so neither is released while the iterator exists; a finalizer
/// cleans up if an enumerator is abandoned without being disposed.
/// </summary>
internal sealed unsafe class IteratorHandle : SafeHandle
{
    private readonly DbHandle _db;
    private readonly SnapshotHandle? _snapshot;
    private readonly nint _readOptions;
    private readonly byte* _bound;

    /// <param name="lowerBound">Inclusive lower bound (null = none).</param>
    /// <param name="upperBound">Exclusive upper bound (null = none). At most one bound may be given.</param>
    internal IteratorHandle(DbHandle db, SnapshotHandle? snapshot, byte[]? lowerBound, byte[]? upperBound)
        : base(0, ownsHandle: true)
    {
        _db = db;
        _snapshot = snapshot;
        bool dbAdded = false;
        bool snapshotAdded = false;
        nint readOptions = 0;
        byte* bound = null;
        try
        {
            db.DangerousAddRef(ref dbAdded);
            snapshot?.DangerousAddRef(ref snapshotAdded);

            readOptions = rocksdb_readoptions_create();
            if (snapshot is not null)
            {
                rocksdb_readoptions_set_snapshot(readOptions, snapshot.DangerousGetHandle());
            }

            byte[]? boundKey = lowerBound ?? upperBound;
            if (boundKey is { Length: > 0 })
            {
                bound = (byte*)NativeMemory.Alloc((nuint)boundKey.Length);
                boundKey.AsSpan().CopyTo(new Span<byte>(bound, boundKey.Length));
                if (lowerBound is not null)
                {
                    rocksdb_readoptions_set_iterate_lower_bound(readOptions, bound, (nuint)boundKey.Length);
                }
                else
                {
                    rocksdb_readoptions_set_iterate_upper_bound(readOptions, bound, (nuint)boundKey.Length);
                }
            }

            nint iterator = rocksdb_create_iterator(db.DangerousGetHandle(), readOptions);
            if (iterator == 0)
            {
                throw new StorageException("RocksDB create iterator failed");
            }

            _readOptions = readOptions;
            _bound = bound;
            SetHandle(iterator);
        }
        catch
        {
            if (readOptions != 0)
            {
                rocksdb_readoptions_destroy(readOptions);
            }

            NativeMemory.Free(bound);
            if (snapshotAdded)
            {
                snapshot!.DangerousRelease();
            }

            if (dbAdded)
            {
                db.DangerousRelease();
            }

            throw;
        }
    }

    public override bool IsInvalid => handle == 0;

    internal void SeekToFirst() => rocksdb_iter_seek_to_first(handle);

    internal void Seek(byte[] target, bool forPrevious)
    {
        fixed (byte* t = target)
        {
            if (forPrevious)
            {
                rocksdb_iter_seek_for_prev(handle, NonNull(t), (nuint)target.Length);
            }
            else
            {
                rocksdb_iter_seek(handle, NonNull(t), (nuint)target.Length);
            }
        }
    }

    internal void Step(bool reverse)
    {
        if (reverse)
        {
            rocksdb_iter_prev(handle);
        }
        else
        {
            rocksdb_iter_next(handle);
        }
    }

    /// <summary>
    /// If the iterator is positioned on a key that starts with <paramref name="prefix"/>, copies the
    /// entry into managed arrays and returns true. Returns false when the iterator is exhausted (after
    /// surfacing any iterator error as <see cref="StorageException"/>) or the key left the prefix.
    /// </summary>
    internal bool TryReadCurrent(ReadOnlySpan<byte> prefix, out KeyValuePair<byte[], byte[]> entry)
    {
        entry = default;
        if (rocksdb_iter_valid(handle) == 0)
        {
            nint error = 0;
            rocksdb_iter_get_error(handle, &error);
            ThrowIfError(error, "RocksDB iteration failed");
            return false;
        }

        nuint keyLength;
        byte* key = rocksdb_iter_key(handle, &keyLength);
        var keySpan = new ReadOnlySpan<byte>(key, checked((int)keyLength));
        if (!keySpan.StartsWith(prefix))
        {
            return false;
        }

        nuint valueLength;
        byte* value = rocksdb_iter_value(handle, &valueLength);
        var valueSpan = new ReadOnlySpan<byte>(value, checked((int)valueLength));
        entry = new KeyValuePair<byte[], byte[]>(keySpan.ToArray(), valueSpan.ToArray());
        return true;
    }

    protected override bool ReleaseHandle()
    {
        rocksdb_iter_destroy(handle);
        rocksdb_readoptions_destroy(_readOptions);
        NativeMemory.Free(_bound);
        _snapshot?.DangerousRelease();
        _db.DangerousRelease();
        return true;
    }
}

/// <summary>Lazy enumerations over a database or snapshot.</summary>
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
        // below defines the semantics. Forward walks get an exclusive upper bound, reverse walks an
        // inclusive lower bound, so a bound never moves the initial seek position.
        byte[]? lower = reverse && prefix.Length > 0 ? prefix : null;
        byte[]? upper = reverse ? null : PrefixSuccessor(prefix);

        var iterator = new IteratorHandle(db, snapshot, lower, upper);
        try
        {
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

            while (iterator.TryReadCurrent(prefix, out KeyValuePair<byte[], byte[]> entry))
            {
                yield return entry;
                iterator.Step(reverse);
            }
        }
        finally
        {
            iterator.Dispose();
        }
    }
}
