using System.Runtime.InteropServices;
using RocksDbSharp;

namespace ExCraft.Storage;

/// <summary>
/// Owns a <c>rocksdb_snapshot_t*</c> (one point in time across all column families) plus read options bound to
/// it. Holds a reference on the database handle, so the database stays open until the snapshot is released.
/// </summary>
internal sealed class SnapshotHandle : SafeHandle
{
    internal SnapshotHandle(DbHandle db)
        : base(0, ownsHandle: true)
    {
        Db = db;
        bool added = false;
        nint snapshot = 0;
        Native native = Native.Instance;
        try
        {
            db.DangerousAddRef(ref added);
            snapshot = native.rocksdb_create_snapshot(db.DangerousGetHandle());
            if (snapshot == 0)
            {
                throw new StorageException("RocksDB create snapshot failed");
            }

            nint readOptions = native.rocksdb_readoptions_create();
            native.rocksdb_readoptions_set_snapshot(readOptions, snapshot);
            ReadOptions = readOptions;
            SetHandle(snapshot);
        }
        catch
        {
            if (snapshot != 0)
            {
                native.rocksdb_release_snapshot(db.DangerousGetHandle(), snapshot);
            }

            if (added)
            {
                db.DangerousRelease();
            }

            throw;
        }
    }

    public override bool IsInvalid => handle == 0;

    internal DbHandle Db { get; }

    /// <summary>Read options with this snapshot set.</summary>
    internal nint ReadOptions { get; }

    protected override bool ReleaseHandle()
    {
        Native native = Native.Instance;
        native.rocksdb_readoptions_destroy(ReadOptions);
        native.rocksdb_release_snapshot(Db.DangerousGetHandle(), handle);
        Db.DangerousRelease();
        return true;
    }
}
