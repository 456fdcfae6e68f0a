namespace ExCraft.Storage;

/// <summary>Tuning knobs for <see cref="RocksDbStore.Open"/>.</summary>
/// <param name="BlockCacheMegabytes">Capacity of the shared LRU block cache (must be &gt; 0).</param>
/// <param name="WriteBufferMegabytes">Memtable size before it is flushed to an SST file (must be &gt; 0).</param>
/// <param name="CreateIfMissing">Create the directory and an empty database when none exists.</param>
public sealed record RocksDbOptions(int BlockCacheMegabytes = 128, int WriteBufferMegabytes = 64, bool CreateIfMissing = true);
