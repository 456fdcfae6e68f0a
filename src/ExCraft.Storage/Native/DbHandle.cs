using System.Runtime.InteropServices;
using static ExCraft.Storage.Native.NativeMethods;

namespace ExCraft.Storage.Native;

/// <summary>
/// Owns an open <c>rocksdb_t*</c> together with the native option objects that live as long as it.
/// Every use goes through <see cref="SafeHandle.DangerousAddRef"/>/<see cref="SafeHandle.DangerousRelease"/>,
/// so <see cref="ReleaseHandle"/> (rocksdb_close) only runs once no call, iterator or snapshot is still
/// using the database — even if the store is disposed concurrently.
/// </summary>
internal sealed class DbHandle : SafeHandle
{
    private readonly nint _options;
    private readonly nint _blockCache;

    internal DbHandle(nint db, nint options, nint blockCache, nint readOptions, nint writeOptions, nint syncWriteOptions)
        : base(0, ownsHandle: true)
    {
        _options = options;
        _blockCache = blockCache;
        ReadOptions = readOptions;
        WriteOptions = writeOptions;
        SyncWriteOptions = syncWriteOptions;
        SetHandle(db);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Default read options (no snapshot); safe to share between threads.</summary>
    internal nint ReadOptions { get; }

    /// <summary>Cached write options with sync = false.</summary>
    internal nint WriteOptions { get; }

    /// <summary>Cached write options with sync = true (WAL fsync before the write returns).</summary>
    internal nint SyncWriteOptions { get; }

    protected override bool ReleaseHandle()
    {
        rocksdb_close(handle);
        rocksdb_readoptions_destroy(ReadOptions);
        rocksdb_writeoptions_destroy(WriteOptions);
        rocksdb_writeoptions_destroy(SyncWriteOptions);
        rocksdb_options_destroy(_options);
        rocksdb_cache_destroy(_blockCache);
        return true;
    }
}

/// <summary>
/// Owns a <c>rocksdb_snapshot_t*</c> plus read options bound to it. Holds a reference on the database
/// handle, so the database stays open until the snapshot is released.
/// </summary>
internal sealed class SnapshotHandle : SafeHandle
{
    private readonly DbHandle _db;

    internal SnapshotHandle(DbHandle db)
        : base(0, ownsHandle: true)
    {
        _db = db;
        bool added = false;
        nint snapshot = 0;
        try
        {
            db.DangerousAddRef(ref added);
            snapshot = rocksdb_create_snapshot(db.DangerousGetHandle());
            if (snapshot == 0)
            {
                throw new StorageException("RocksDB create snapshot failed");
            }

            nint readOptions = rocksdb_readoptions_create();
            rocksdb_readoptions_set_snapshot(readOptions, snapshot);
            ReadOptions = readOptions;
            SetHandle(snapshot);
        }
        catch
        {
            if (snapshot != 0)
            {
                rocksdb_release_snapshot(db.DangerousGetHandle(), snapshot);
            }

            if (added)
            {
                db.DangerousRelease();
            }

            throw;
        }
    }

    public override bool IsInvalid => handle == 0;

    internal DbHandle Db => _db;

    /// <summary>Read options with this snapshot set.</summary>
    internal nint ReadOptions { get; }

    protected override bool ReleaseHandle()
    {
        rocksdb_readoptions_destroy(ReadOptions);
        rocksdb_release_snapshot(_db.DangerousGetHandle(), handle);
        _db.DangerousRelease();
        return true;
    }
}

/// <summary>Owns a <c>rocksdb_writebatch_t*</c>.</summary>
internal sealed class WriteBatchHandle : SafeHandle
{
    internal WriteBatchHandle()
        : base(0, ownsHandle: true)
    {
        nint batch = rocksdb_writebatch_create();
        if (batch == 0)
        {
            throw new StorageException("RocksDB writebatch create failed");
        }

        SetHandle(batch);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        rocksdb_writebatch_destroy(handle);
        return true;
    }
}
