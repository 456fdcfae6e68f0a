using RocksDbSharp;

namespace ExCraft.Storage;

/// <summary>
/// The native <c>rocksdb_options_t</c> (used for the database and, identically, for every column family) and
/// the shared LRU block cache, built from <see cref="RocksDbOptions"/>. They must outlive the database, so
/// <see cref="DbHandle"/> disposes them after rocksdb_close. docs/storage.md explains each setting.
/// </summary>
internal sealed class NativeDbOptions : IDisposable
{
    private const ulong MiB = 1024 * 1024;

    private nint _cache;

    private NativeDbOptions(nint options, nint cache)
    {
        Handle = options;
        _cache = cache;
    }

    internal nint Handle { get; private set; }

    internal static NativeDbOptions Create(RocksDbOptions settings)
    {
        Native native = Native.Instance;
        nint options = native.rocksdb_options_create();
        nint cache = native.rocksdb_cache_create_lru((nuint)((ulong)settings.BlockCacheMegabytes * MiB));
        var created = new NativeDbOptions(options, cache);
        try
        {
            native.rocksdb_options_set_create_if_missing(options, settings.CreateIfMissing ? (byte)1 : (byte)0);
            native.rocksdb_options_set_paranoid_checks(options, 1);
            native.rocksdb_options_increase_parallelism(options, Math.Max(2, Environment.ProcessorCount));
            native.rocksdb_options_set_max_open_files(options, settings.MaxOpenFiles);
            native.rocksdb_options_set_write_buffer_size(options, (nuint)((ulong)settings.WriteBufferMegabytes * MiB));
            native.rocksdb_options_set_level_compaction_dynamic_level_bytes(options, 1);
            native.rocksdb_options_set_compression(options, (int)settings.Compression);
            native.rocksdb_options_set_bottommost_compression(options, (int)settings.BottommostCompression);

            // Crash safety: replay the WAL up to the last intact record (a synced batch is never torn).
            native.rocksdb_options_set_wal_recovery_mode(options, 2 /* kPointInTimeRecovery */);

            // With several column families a WAL file can only be deleted once every family that has data in
            // it was flushed; a cap makes RocksDB flush a quiet family instead of keeping old WALs forever.
            int families = Math.Max(1, settings.ColumnFamilies.Count + 1);
            native.rocksdb_options_set_max_total_wal_size(options, 4UL * (ulong)families * (ulong)settings.WriteBufferMegabytes * MiB);

            // Spread SST writes out instead of one large fsync at the end of each flush or compaction.
            native.rocksdb_options_set_bytes_per_sync(options, 1 * MiB);

            // The info LOG is for people: keep a few bounded files, not an ever growing one.
            native.rocksdb_options_set_max_log_file_size(options, (nuint)(16 * MiB));
            native.rocksdb_options_set_keep_log_file_num(options, 5);

            nint table = native.rocksdb_block_based_options_create();
            try
            {
                if (settings.BloomBitsPerKey > 0)
                {
                    // The table options take ownership of the filter policy.
                    native.rocksdb_block_based_options_set_filter_policy(table, native.rocksdb_filterpolicy_create_bloom_full(settings.BloomBitsPerKey));
                }

                native.rocksdb_block_based_options_set_block_cache(table, cache);
                // Index and filter blocks live in (and are bounded by) the block cache; level-0 ones stay pinned
                // because every read consults them.
                native.rocksdb_block_based_options_set_cache_index_and_filter_blocks(table, 1);
                native.rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(table, 1);
                native.rocksdb_options_set_block_based_table_factory(options, table);
            }
            finally
            {
                // The factory copied the table options (and shares the cache and filter policy).
                native.rocksdb_block_based_options_destroy(table);
            }

            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>Switches on creation of the column families a brand-new database needs.</summary>
    internal void CreateMissingFamilies(bool create)
        => Native.Instance.rocksdb_options_set_create_missing_column_families(Handle, create ? (byte)1 : (byte)0);

    public void Dispose()
    {
        Native native = Native.Instance;
        if (Handle != 0)
        {
            native.rocksdb_options_destroy(Handle);
            Handle = 0;
        }

        if (_cache != 0)
        {
            native.rocksdb_cache_destroy(_cache);
            _cache = 0;
        }
    }
}
