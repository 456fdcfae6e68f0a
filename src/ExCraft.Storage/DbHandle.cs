using System.Runtime.InteropServices;
using RocksDbSharp;

namespace ExCraft.Storage;

/// <summary>
/// Owns an open <c>rocksdb_t*</c>, its column family handles and the native option objects that live as long
/// as it. Every use goes through <see cref="SafeHandle.DangerousAddRef"/>/<see cref="SafeHandle.DangerousRelease"/>,
/// so <see cref="ReleaseHandle"/> (rocksdb_close) only runs once no call, iterator or snapshot still uses the
/// database, even if the store is disposed concurrently.
/// </summary>
internal sealed class DbHandle : SafeHandle
{
    private readonly NativeDbOptions _options;
    private readonly nint[] _families;

    internal DbHandle(nint db, nint[] families, NativeDbOptions options, ColumnFamilyLayout layout)
        : base(0, ownsHandle: true)
    {
        _families = families;
        _options = options;
        Layout = layout;
        Native native = Native.Instance;
        ReadOptions = native.rocksdb_readoptions_create();
        WriteOptions = native.rocksdb_writeoptions_create();
        native.rocksdb_writeoptions_set_sync(WriteOptions, 0);
        SyncWriteOptions = native.rocksdb_writeoptions_create();
        native.rocksdb_writeoptions_set_sync(SyncWriteOptions, 1);
        SetHandle(db);
    }

    public override bool IsInvalid => handle == 0;

    internal ColumnFamilyLayout Layout { get; }

    /// <summary>Default read options (no snapshot); safe to share between threads.</summary>
    internal nint ReadOptions { get; }

    /// <summary>Write options with sync = false: the WAL is written but not fsynced.</summary>
    internal nint WriteOptions { get; }

    /// <summary>Write options with sync = true: the WAL is fsynced before the write returns.</summary>
    internal nint SyncWriteOptions { get; }

    /// <summary>Native handle of column family <paramref name="index"/> (see <see cref="ColumnFamilyLayout"/>).</summary>
    internal nint Family(int index) => _families[index];

    /// <summary>Native handle of the family that holds <paramref name="key"/>.</summary>
    internal nint FamilyOf(ReadOnlySpan<byte> key) => _families[Layout.FamilyOf(key)];

    protected override bool ReleaseHandle()
    {
        Native native = Native.Instance;
        // Column family handles must go before the database is closed.
        foreach (nint family in _families)
        {
            native.rocksdb_column_family_handle_destroy(family);
        }

        native.rocksdb_close(handle);
        native.rocksdb_readoptions_destroy(ReadOptions);
        native.rocksdb_writeoptions_destroy(WriteOptions);
        native.rocksdb_writeoptions_destroy(SyncWriteOptions);
        _options.Dispose();
        return true;
    }
}
