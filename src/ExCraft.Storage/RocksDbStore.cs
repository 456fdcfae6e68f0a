using ExCraft.Storage.Native;
using static ExCraft.Storage.Native.NativeMethods;

namespace ExCraft.Storage;

/// <summary>
/// <see cref="IKeyValueStore"/> backed by the system RocksDB 7.8 library through its C API.
/// Thread-safe: reads, writes, iterators and snapshots may be used concurrently. Disposing the store
/// is idempotent; the native database is closed once the last in-flight call, open iterator or live
/// snapshot has finished with it. Calls made after disposal throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed unsafe class RocksDbStore : IKeyValueStore
{
    private const int MaxOpenFiles = 512;
    private const double BloomBitsPerKey = 10;

    private readonly DbHandle _db;

    private RocksDbStore(DbHandle db, string directory)
    {
        _db = db;
        Directory = directory;
    }

    /// <summary>Absolute path of the database directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// Opens (and with <see cref="RocksDbOptions.CreateIfMissing"/>, creates) the database in
    /// <paramref name="directory"/>. Throws <see cref="StorageException"/> if RocksDB refuses, e.g. because
    /// another process or another open store in this process holds the directory's lock.
    /// </summary>
    public static RocksDbStore Open(string directory, RocksDbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= new RocksDbOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BlockCacheMegabytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.WriteBufferMegabytes, nameof(options));

        string path = Path.GetFullPath(directory);
        if (options.CreateIfMissing)
        {
            try
            {
                System.IO.Directory.CreateDirectory(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StorageException($"RocksDB open failed for {path}: cannot create directory: {ex.Message}", ex);
            }
        }

        nint dbOptions = 0, cache = 0, readOptions = 0, writeOptions = 0, syncWriteOptions = 0, db = 0;
        try
        {
            dbOptions = rocksdb_options_create();
            rocksdb_options_set_create_if_missing(dbOptions, options.CreateIfMissing ? (byte)1 : (byte)0);
            rocksdb_options_increase_parallelism(dbOptions, Math.Max(2, Environment.ProcessorCount));
            rocksdb_options_set_max_open_files(dbOptions, MaxOpenFiles);
            rocksdb_options_set_write_buffer_size(dbOptions, (nuint)options.WriteBufferMegabytes * 1024 * 1024);
            rocksdb_options_set_compression(dbOptions, Lz4Compression);

            nint tableOptions = rocksdb_block_based_options_create();
            try
            {
                // The table options take ownership of the filter policy; the cache is shared.
                rocksdb_block_based_options_set_filter_policy(tableOptions, rocksdb_filterpolicy_create_bloom(BloomBitsPerKey));
                cache = rocksdb_cache_create_lru((nuint)options.BlockCacheMegabytes * 1024 * 1024);
                rocksdb_block_based_options_set_block_cache(tableOptions, cache);
                rocksdb_options_set_block_based_table_factory(dbOptions, tableOptions);
            }
            finally
            {
                rocksdb_block_based_options_destroy(tableOptions);
            }

            string? error = TryOpen(dbOptions, path, out db);
            if (db == 0 && error is not null && error.Contains("Compression type", StringComparison.Ordinal))
            {
                // Library built without LZ4: fall back to uncompressed tables.
                rocksdb_options_set_compression(dbOptions, NoCompression);
                error = TryOpen(dbOptions, path, out db);
            }

            if (db == 0)
            {
                throw new StorageException($"RocksDB open failed for {path}", error ?? "rocksdb_open returned no database");
            }

            readOptions = rocksdb_readoptions_create();
            writeOptions = rocksdb_writeoptions_create();
            rocksdb_writeoptions_set_sync(writeOptions, 0);
            syncWriteOptions = rocksdb_writeoptions_create();
            rocksdb_writeoptions_set_sync(syncWriteOptions, 1);

            var handle = new DbHandle(db, dbOptions, cache, readOptions, writeOptions, syncWriteOptions);
            db = 0; // ownership transferred to the handle
            return new RocksDbStore(handle, path);
        }
        catch
        {
            if (db != 0)
            {
                rocksdb_close(db);
                if (readOptions != 0)
                {
                    rocksdb_readoptions_destroy(readOptions);
                }

                if (writeOptions != 0)
                {
                    rocksdb_writeoptions_destroy(writeOptions);
                }

                if (syncWriteOptions != 0)
                {
                    rocksdb_writeoptions_destroy(syncWriteOptions);
                }
            }

            if (dbOptions != 0)
            {
                rocksdb_options_destroy(dbOptions);
            }

            if (cache != 0)
            {
                rocksdb_cache_destroy(cache);
            }

            throw;
        }
    }

    private static string? TryOpen(nint dbOptions, string path, out nint db)
    {
        nint error = 0;
        db = rocksdb_open(dbOptions, path, &error);
        return error == 0 ? null : TakeError(error);
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        bool added = false;
        try
        {
            _db.DangerousAddRef(ref added);
            return GetCore(_db.DangerousGetHandle(), _db.ReadOptions, key);
        }
        finally
        {
            if (added)
            {
                _db.DangerousRelease();
            }
        }
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync = false)
    {
        bool added = false;
        try
        {
            _db.DangerousAddRef(ref added);
            nint error = 0;
            fixed (byte* k = key)
            fixed (byte* v = value)
            {
                rocksdb_put(_db.DangerousGetHandle(), WriteOptionsFor(sync), NonNull(k), (nuint)key.Length, NonNull(v), (nuint)value.Length, &error);
            }

            ThrowIfError(error, "RocksDB put failed");
        }
        finally
        {
            if (added)
            {
                _db.DangerousRelease();
            }
        }
    }

    public void Delete(ReadOnlySpan<byte> key, bool sync = false)
    {
        bool added = false;
        try
        {
            _db.DangerousAddRef(ref added);
            nint error = 0;
            fixed (byte* k = key)
            {
                rocksdb_delete(_db.DangerousGetHandle(), WriteOptionsFor(sync), NonNull(k), (nuint)key.Length, &error);
            }

            ThrowIfError(error, "RocksDB delete failed");
        }
        finally
        {
            if (added)
            {
                _db.DangerousRelease();
            }
        }
    }

    public void Write(WriteBatch batch, bool sync)
    {
        ArgumentNullException.ThrowIfNull(batch);
        bool dbAdded = false;
        bool batchAdded = false;
        try
        {
            _db.DangerousAddRef(ref dbAdded);
            batch.Handle.DangerousAddRef(ref batchAdded);
            nint error = 0;
            rocksdb_write(_db.DangerousGetHandle(), WriteOptionsFor(sync), batch.Handle.DangerousGetHandle(), &error);
            ThrowIfError(error, "RocksDB write batch failed");
        }
        finally
        {
            if (batchAdded)
            {
                batch.Handle.DangerousRelease();
            }

            if (dbAdded)
            {
                _db.DangerousRelease();
            }
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(ReadOnlySpan<byte> prefix)
        => Iteration.Prefix(_db, snapshot: null, prefix.ToArray());

    public IEnumerable<KeyValuePair<byte[], byte[]>> IterateFrom(ReadOnlySpan<byte> start, ReadOnlySpan<byte> prefix, bool reverse = false)
        => Iteration.From(_db, snapshot: null, start.ToArray(), prefix.ToArray(), reverse);

    public IStoreSnapshot GetSnapshot() => new RocksDbSnapshot(new SnapshotHandle(_db));

    public void Dispose() => _db.Dispose();

    private nint WriteOptionsFor(bool sync) => sync ? _db.SyncWriteOptions : _db.WriteOptions;

    /// <summary>Point lookup through rocksdb_get_pinned (distinguishes a missing key from an empty value).</summary>
    internal static byte[]? GetCore(nint db, nint readOptions, ReadOnlySpan<byte> key)
    {
        nint error = 0;
        nint slice;
        fixed (byte* k = key)
        {
            slice = rocksdb_get_pinned(db, readOptions, NonNull(k), (nuint)key.Length, &error);
        }

        if (error != 0)
        {
            if (slice != 0)
            {
                rocksdb_pinnableslice_destroy(slice);
            }

            ThrowIfError(error, "RocksDB get failed");
        }

        if (slice == 0)
        {
            return null;
        }

        try
        {
            nuint length;
            byte* value = rocksdb_pinnableslice_value(slice, &length);
            return new ReadOnlySpan<byte>(value, checked((int)length)).ToArray();
        }
        finally
        {
            rocksdb_pinnableslice_destroy(slice);
        }
    }
}

/// <summary>Point-in-time view backed by a RocksDB snapshot.</summary>
internal sealed class RocksDbSnapshot : IStoreSnapshot
{
    private readonly SnapshotHandle _snapshot;

    internal RocksDbSnapshot(SnapshotHandle snapshot) => _snapshot = snapshot;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        bool added = false;
        try
        {
            // The snapshot holds a reference on the database, so the db pointer stays valid too.
            _snapshot.DangerousAddRef(ref added);
            return RocksDbStore.GetCore(_snapshot.Db.DangerousGetHandle(), _snapshot.ReadOptions, key);
        }
        finally
        {
            if (added)
            {
                _snapshot.DangerousRelease();
            }
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(ReadOnlySpan<byte> prefix)
        => Iteration.Prefix(_snapshot.Db, _snapshot, prefix.ToArray());

    public void Dispose() => _snapshot.Dispose();
}
