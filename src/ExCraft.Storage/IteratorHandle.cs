using System.Runtime.InteropServices;
using RocksDbSharp;
using static ExCraft.Storage.NativeErrors;

namespace ExCraft.Storage;

/// <summary>
/// Owns a <c>rocksdb_iterator_t*</c> over one column family, its private read options and the native copy of
/// the iterate bound (RocksDB keeps only a pointer to the bound, so the bytes must outlive the iterator). Holds
/// references on the database (and snapshot) handles so neither is released while the iterator exists; the
/// SafeHandle finalizer cleans up if an enumerator is abandoned without being disposed.
/// </summary>
internal sealed unsafe class IteratorHandle : SafeHandle
{
    private readonly DbHandle _db;
    private readonly SnapshotHandle? _snapshot;
    private readonly nint _readOptions;
    private readonly byte* _bound;

    /// <param name="lowerBound">Inclusive lower bound (null = none).</param>
    /// <param name="upperBound">Exclusive upper bound (null = none). At most one bound may be given.</param>
    internal IteratorHandle(DbHandle db, int family, SnapshotHandle? snapshot, byte[]? lowerBound, byte[]? upperBound)
        : base(0, ownsHandle: true)
    {
        _db = db;
        _snapshot = snapshot;
        bool dbAdded = false;
        bool snapshotAdded = false;
        nint readOptions = 0;
        byte* bound = null;
        Native native = Native.Instance;
        try
        {
            db.DangerousAddRef(ref dbAdded);
            snapshot?.DangerousAddRef(ref snapshotAdded);

            readOptions = native.rocksdb_readoptions_create();
            if (snapshot is not null)
            {
                native.rocksdb_readoptions_set_snapshot(readOptions, snapshot.DangerousGetHandle());
            }

            byte[]? boundKey = lowerBound ?? upperBound;
            if (boundKey is { Length: > 0 })
            {
                bound = (byte*)NativeMemory.Alloc((nuint)boundKey.Length);
                boundKey.AsSpan().CopyTo(new Span<byte>(bound, boundKey.Length));
                if (lowerBound is not null)
                {
                    native.rocksdb_readoptions_set_iterate_lower_bound(readOptions, bound, (nuint)boundKey.Length);
                }
                else
                {
                    native.rocksdb_readoptions_set_iterate_upper_bound(readOptions, bound, (nuint)boundKey.Length);
                }
            }

            nint iterator = native.rocksdb_create_iterator_cf(db.DangerousGetHandle(), readOptions, db.Family(family));
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
                native.rocksdb_readoptions_destroy(readOptions);
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

    internal void SeekToFirst() => Native.Instance.rocksdb_iter_seek_to_first(handle);

    internal void Seek(byte[] target, bool forPrevious)
    {
        fixed (byte* t = target)
        {
            if (forPrevious)
            {
                Native.Instance.rocksdb_iter_seek_for_prev(handle, NonNull(t), (nuint)target.Length);
            }
            else
            {
                Native.Instance.rocksdb_iter_seek(handle, NonNull(t), (nuint)target.Length);
            }
        }
    }

    internal void Step(bool reverse)
    {
        if (reverse)
        {
            Native.Instance.rocksdb_iter_prev(handle);
        }
        else
        {
            Native.Instance.rocksdb_iter_next(handle);
        }
    }

    /// <summary>
    /// The key under the iterator if it starts with <paramref name="prefix"/> (valid until the next move), or
    /// false when the iterator is exhausted (after surfacing any iterator error as <see cref="StorageException"/>)
    /// or the key left the prefix.
    /// </summary>
    internal bool TryCurrentKey(ReadOnlySpan<byte> prefix, out ReadOnlySpan<byte> key)
    {
        key = default;
        Native native = Native.Instance;
        if (native.rocksdb_iter_valid(handle) == 0)
        {
            native.rocksdb_iter_get_error(handle, out nint error);
            ThrowIfError(error, "RocksDB iteration failed");
            return false;
        }

        nint keyPointer = native.rocksdb_iter_key(handle, out nuint keyLength);
        key = new ReadOnlySpan<byte>((byte*)keyPointer, checked((int)keyLength));
        return key.StartsWith(prefix);
    }

    /// <summary>Copies the current entry (call only after <see cref="TryCurrentKey"/> returned true).</summary>
    internal KeyValuePair<byte[], byte[]> CopyCurrent()
    {
        Native native = Native.Instance;
        nint keyPointer = native.rocksdb_iter_key(handle, out nuint keyLength);
        nint valuePointer = native.rocksdb_iter_value(handle, out nuint valueLength);
        return new KeyValuePair<byte[], byte[]>(
            new ReadOnlySpan<byte>((byte*)keyPointer, checked((int)keyLength)).ToArray(),
            new ReadOnlySpan<byte>((byte*)valuePointer, checked((int)valueLength)).ToArray());
    }

    protected override bool ReleaseHandle()
    {
        Native native = Native.Instance;
        native.rocksdb_iter_destroy(handle);
        native.rocksdb_readoptions_destroy(_readOptions);
        NativeMemory.Free(_bound);
        _snapshot?.DangerousRelease();
        _db.DangerousRelease();
        return true;
    }
}
