namespace ExCraft.Chain.State;

/// <summary>Reads state values by key; null means absent.</summary>
public interface IStateReader
{
    byte[]? Get(byte[] key);

    /// <summary>Entries whose key starts with the prefix, in key order.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix);
}
