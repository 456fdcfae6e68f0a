using System.Runtime.InteropServices;
using RocksDbSharp;
using static ExCraft.Storage.NativeErrors;

namespace ExCraft.Storage;

/// <summary>
/// <see cref="IKeyValueStore"/> backed by RocksDB from the RocksDB NuGet package (the RocksDbSharp binding of
/// the C API with the native library bundled per platform). Keys are routed to column families by prefix
/// (<see cref="RocksDbOptions.ColumnFamilies"/>); callers see one ordered key space.
/// Thread-safe: reads, writes, iterators and snapshots may be used concurrently. Disposing the store
/// is idempotent; the native database is closed once the last in-flight call, open iterator or live
/// snapshot has finished with it. Calls made after disposal throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed unsafe class RocksDbStore : IKeyValueStore
{
    private readonly DbHandle _db;

    private RocksDbStore(DbHandle db, string directory)
    {
        _db = db;
        Directory = directory;
    }

    /// <summary>Absolute path of the database directory.</summary>
    public string Directory { get; }

    /// <summary>Stored names of the column families, "default" first (see <see cref="RocksDbOptions.ColumnFamilies"/>).</summary>
    public IReadOnlyList<string> ColumnFamilyNames => _db.Layout.FamilyNames;

    /// <summary>File the native RocksDB library was loaded from (null before the first <see cref="Open"/>).</summary>
    public static string? NativeLibraryPath => NativeImport.Auto.LoadedPath;

    /// <summary>
    /// Opens (and with <see cref="RocksDbOptions.CreateIfMissing"/>, creates) the database in
    /// <paramref name="directory"/>. Throws <see cref="StorageException"/> if RocksDB refuses, e.g. because
    /// another process or another open store in this process holds the directory's lock, the files are
    /// corrupt, or the directory was written with other column families (an older storage layout).
    /// </summary>
    public static RocksDbStore Open(string directory, RocksDbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= new RocksDbOptions();
        Validate(options);
        var layout = new ColumnFamilyLayout(options.ColumnFamilies);

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

        NativeDbOptions nativeOptions = CreateNativeOptions(options);
        try
        {
            bool existing = File.Exists(Path.Combine(path, "CURRENT"));
            if (existing)
            {
                CheckLayout(nativeOptions, path, layout);
            }

            nativeOptions.CreateMissingFamilies(!existing);
            string[] names = layout.FamilyNames;
            nint[] familyOptions = Enumerable.Repeat(nativeOptions.Handle, names.Length).ToArray();
            nint[] families = new nint[names.Length];
            nint db = Native.Instance.rocksdb_open_column_families(nativeOptions.Handle, path, names.Length, names, familyOptions, families, out nint error);
            if (error != 0 || db == 0)
            {
                throw new StorageException($"RocksDB open failed for {path}", error != 0 ? Take(error) : "rocksdb_open returned no database");
            }

            return new RocksDbStore(new DbHandle(db, families, nativeOptions, layout), path);
        }
        catch
        {
            nativeOptions.Dispose();
            throw;
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        bool added = false;
        try
        {
            _db.DangerousAddRef(ref added);
            return GetCore(_db, _db.ReadOptions, key);
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
            nint error;
            fixed (byte* k = key)
            fixed (byte* v = value)
            {
                Native.Instance.rocksdb_put_cf(_db.DangerousGetHandle(), WriteOptionsFor(sync), _db.FamilyOf(key), NonNull(k), (nuint)key.Length, NonNull(v), (nuint)value.Length, out error);
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
            nint error;
            fixed (byte* k = key)
            {
                Native.Instance.rocksdb_delete_cf(_db.DangerousGetHandle(), WriteOptionsFor(sync), _db.FamilyOf(key), NonNull(k), (nuint)key.Length, out error);
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
        bool added = false;
        nint nativeBatch = 0;
        Native native = Native.Instance;
        try
        {
            _db.DangerousAddRef(ref added);
            nativeBatch = native.rocksdb_writebatch_create();
            batch.AddTo(nativeBatch, _db);
            native.rocksdb_write(_db.DangerousGetHandle(), WriteOptionsFor(sync), nativeBatch, out nint error);
            ThrowIfError(error, "RocksDB write batch failed");
        }
        finally
        {
            if (nativeBatch != 0)
            {
                native.rocksdb_writebatch_destroy(nativeBatch);
            }

            if (added)
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

    /// <summary>Point lookup through rocksdb_get_pinned_cf (distinguishes a missing key from an empty value).
    /// The caller holds a reference on <paramref name="db"/>.</summary>
    internal static byte[]? GetCore(DbHandle db, nint readOptions, ReadOnlySpan<byte> key)
    {
        Native native = Native.Instance;
        nint error;
        nint slice;
        fixed (byte* k = key)
        {
            slice = native.rocksdb_get_pinned_cf(db.DangerousGetHandle(), readOptions, db.FamilyOf(key), NonNull(k), (nuint)key.Length, out error);
        }

        if (error != 0)
        {
            if (slice != 0)
            {
                native.rocksdb_pinnableslice_destroy(slice);
            }

            ThrowIfError(error, "RocksDB get failed");
        }

        if (slice == 0)
        {
            return null;
        }

        try
        {
            nint value = native.rocksdb_pinnableslice_value(slice, out nuint length);
            return new ReadOnlySpan<byte>((byte*)value, checked((int)length)).ToArray();
        }
        finally
        {
            native.rocksdb_pinnableslice_destroy(slice);
        }
    }

    private static void Validate(RocksDbOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BlockCacheMegabytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.WriteBufferMegabytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.BloomBitsPerKey, nameof(options));
        ArgumentNullException.ThrowIfNull(options.ColumnFamilies, nameof(options));
        if (options.MaxOpenFiles != -1 && options.MaxOpenFiles < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxOpenFiles, "MaxOpenFiles must be -1 (unlimited) or at least 16");
        }

        if (!Enum.IsDefined(options.Compression) || !Enum.IsDefined(options.BottommostCompression))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "unknown compression type");
        }
    }

    /// <summary>Builds the native options; this is the first call into the package, so a missing native library surfaces here.</summary>
    private static NativeDbOptions CreateNativeOptions(RocksDbOptions options)
    {
        try
        {
            return NativeDbOptions.Create(options);
        }
        catch (TypeInitializationException ex) when (ex.TypeName == typeof(Native).FullName)
        {
            throw new StorageException($"RocksDB native library could not be loaded: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    /// <summary>
    /// An existing database must hold exactly the column families of <paramref name="layout"/>. Otherwise it was
    /// written with another routing (e.g. the single-family layout of the old system-library binding), and opening
    /// it would hide the keys stored in families nobody reads, so refuse with a clear message.
    /// </summary>
    private static void CheckLayout(NativeDbOptions options, string path, ColumnFamilyLayout layout)
    {
        Native native = Native.Instance;
        nint list = native.rocksdb_list_column_families(options.Handle, path, out nuint count, out nint error);
        if (error != 0)
        {
            throw new StorageException($"RocksDB open failed for {path}", Take(error));
        }

        var stored = new List<string>();
        try
        {
            for (int i = 0; i < (int)count; i++)
            {
                stored.Add(Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(list, i * IntPtr.Size)) ?? string.Empty);
            }
        }
        finally
        {
            native.rocksdb_list_column_families_destroy(list, count);
        }

        if (!stored.Order(StringComparer.Ordinal).SequenceEqual(layout.FamilyNames.Order(StringComparer.Ordinal)))
        {
            throw new StorageException(
                $"RocksDB open failed for {path}: the database was written with another storage layout " +
                $"(column families [{string.Join(", ", stored)}], this node expects [{string.Join(", ", layout.FamilyNames)}]); " +
                "data directories of older versions are not readable: move the directory away and resync the chain");
        }
    }
}

/// <summary>Point-in-time view backed by a RocksDB snapshot (consistent across all column families).</summary>
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
            return RocksDbStore.GetCore(_snapshot.Db, _snapshot.ReadOptions, key);
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
