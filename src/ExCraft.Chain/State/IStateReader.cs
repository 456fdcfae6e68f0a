namespace ExCraft.Chain.State;

/// <summary>Reads state values by key; null means absent.</summary>
public interface IStateReader
{
    byte[]? Get(byte[] key);

    /// <summary>Entries whose key starts with the prefix, in key order.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix);

    /// <summary>
    /// At most <paramref name="limit"/> entries whose key starts with the prefix and sorts strictly
    /// after <paramref name="startAfter"/> (null: from the prefix's first key), in key order. A
    /// bounded page of a long prefix: work that walks a prefix a chunk per block (the epoch close)
    /// resumes after the last key it took instead of rescanning everything before it.
    /// </summary>
    IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit);
}
