namespace ExCraft.Storage;

/// <summary>Tuning knobs for <see cref="RocksDbStore.Open"/>; docs/storage.md gives the reason for each default.</summary>
/// <param name="BlockCacheMegabytes">Capacity of the LRU block cache shared by all column families (must be &gt; 0).
/// Index and filter blocks are charged to it too, so it bounds the read-side memory.</param>
/// <param name="WriteBufferMegabytes">Memtable size of each column family before it is flushed to an SST file (must be &gt; 0).</param>
/// <param name="CreateIfMissing">Create the directory and an empty database when none exists.</param>
public sealed record RocksDbOptions(int BlockCacheMegabytes = 128, int WriteBufferMegabytes = 64, bool CreateIfMissing = true)
{
    /// <summary>
    /// Key prefix → column family routes, handed in by the layer that owns the keys (the node's come from the
    /// chain's ChainKeys.ColumnFamilies: storage knows nothing of what the keys mean). Empty, the default, keeps
    /// everything in the default family. A directory must be opened with the routing it was written with.
    /// </summary>
    public IReadOnlyList<ColumnFamilyRoute> ColumnFamilies { get; init; } = [];

    /// <summary>Compression of the upper LSM levels, where data is rewritten often: fast to compress.</summary>
    public StorageCompression Compression { get; init; } = StorageCompression.Lz4;

    /// <summary>Compression of the last LSM level, which holds most of the data and is rewritten rarely.</summary>
    public StorageCompression BottommostCompression { get; init; } = StorageCompression.Zstd;

    /// <summary>Open SST file descriptors kept by RocksDB (-1 = unlimited); must be -1 or at least 16.</summary>
    public int MaxOpenFiles { get; init; } = 512;

    /// <summary>Bloom filter bits per key (0 = no filter); 10 gives about 1% false positives on point lookups.</summary>
    public int BloomBitsPerKey { get; init; } = 10;
}
