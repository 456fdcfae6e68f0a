namespace ExCraft.Storage;

/// <summary>
/// Block compression of SST files. The values are RocksDB's own compression type numbers; the RocksDB
/// package bundles Snappy, LZ4 and ZSTD (and zlib/bzip2, not offered here) into its native library.
/// </summary>
public enum StorageCompression
{
    None = 0,
    Snappy = 1,
    Lz4 = 4,
    Zstd = 7,
}
