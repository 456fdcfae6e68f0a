namespace ExCraft.Storage;

/// <summary>Read-only view of the store as it was when the snapshot was taken.</summary>
public interface IStoreSnapshot : IDisposable
{
    byte[]? Get(ReadOnlySpan<byte> key);

    IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(ReadOnlySpan<byte> prefix);
}
