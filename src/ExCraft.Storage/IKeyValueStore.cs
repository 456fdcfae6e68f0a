namespace ExCraft.Storage;

/// <summary>
/// Ordered byte-key/byte-value store. Keys are compared as unsigned bytes (lexicographically).
/// All members may be called concurrently from several threads; an individual enumerator is not
/// thread-safe. Enumerations are lazy: native resources are acquired on the first MoveNext and
/// released when enumeration finishes or the enumerator is disposed.
/// </summary>
public interface IKeyValueStore : IDisposable
{
    /// <summary>Returns a copy of the value stored under <paramref name="key"/>, or null if absent.</summary>
    byte[]? Get(ReadOnlySpan<byte> key);

    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync = false);

    void Delete(ReadOnlySpan<byte> key, bool sync = false);

    /// <summary>Applies every operation of <paramref name="batch"/> atomically. With <paramref name="sync"/>
    /// the write-ahead log is fsynced before returning, so the batch survives a crash or power loss.</summary>
    void Write(WriteBatch batch, bool sync);

    /// <summary>All entries whose key starts with <paramref name="prefix"/>, in ascending key order.
    /// An empty prefix enumerates the whole store.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(ReadOnlySpan<byte> prefix);

    /// <summary>
    /// Seeks to <paramref name="start"/> (first key &gt;= start, or with <paramref name="reverse"/> the last
    /// key &lt;= start) and walks forward (or backward) while keys start with <paramref name="prefix"/>.
    /// Enumeration stops at the first key outside the prefix, including the very first one.
    /// </summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> IterateFrom(ReadOnlySpan<byte> start, ReadOnlySpan<byte> prefix, bool reverse = false);

    /// <summary>A consistent, read-only point-in-time view. Dispose it promptly: it pins old data.</summary>
    IStoreSnapshot GetSnapshot();
}
