namespace ExCraft.Storage;

/// <summary>Tuning knobs for <see cref="RocksDbStore.Open"/>; docs/storage.md gives the reason for each default.</summary>
/// <param name="BlockCacheMegabytes">Capacity of the LRU block cache shared by all column families (must be &gt; 0).
/// Index and filter blocks are charged to it too, so it bounds the read-side memory.</param>
/// <param name="WriteBufferMegabytes">Memtable size of each column family before it is flushed to an SST file (must be &gt; 0).</param>
/// <param name="CreateIfMissing">Create the directory and an empty database when none exists.</param>
public sealed record RocksDbOptions(int BlockCacheMegabytes = 128, int WriteBufferMegabytes = 64, bool CreateIfMissing = true)
{
    /// <summary>
    /// The node's table layout (see ChainKeys): blocks, commits and per-block events (keyed by height, written
    /// once, large) in "blocks"; receipts, the per-account transaction index and the hash→height index (keyed by
    /// hash, written once) in "receipts"; state and metadata stay in the default family. Routing only decides
    /// where a key is kept, never whether it is found, so a table missing here is still stored correctly.
    /// </summary>
    public static IReadOnlyList<ColumnFamilyRoute> NodeLayout { get; } =
    [
        new("blocks", "B"u8.ToArray(), "C"u8.ToArray(), "E"u8.ToArray()),
        new("receipts", "R"u8.ToArray(), "X"u8.ToArray(), "h"u8.ToArray()),
    ];

    /// <summary>Key prefix → column family routes. Empty keeps everything in the default family.</summary>
    public IReadOnlyList<ColumnFamilyRoute> ColumnFamilies { get; init; } = NodeLayout;

    /// <summary>Compression of the upper LSM levels, where data is rewritten often: fast to compress.</summary>
    public StorageCompression Compression { get; init; } = StorageCompression.Lz4;

    /// <summary>Compression of the last LSM level, which holds most of the data and is rewritten rarely.</summary>
    public StorageCompression BottommostCompression { get; init; } = StorageCompression.Zstd;

    /// <summary>Open SST file descriptors kept by RocksDB (-1 = unlimited); must be -1 or at least 16.</summary>
    public int MaxOpenFiles { get; init; } = 512;

    /// <summary>Bloom filter bits per key (0 = no filter); 10 gives about 1% false positives on point lookups.</summary>
    public int BloomBitsPerKey { get; init; } = 10;
}
