// TEMPORARY: compile-only shim for the storage API being built on branch `storage`; removed at merge.
namespace ExCraft.Storage;
public interface IKeyValueStore : IDisposable
{
    byte[]? Get(ReadOnlySpan<byte> key);
    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync = false);
    void Delete(ReadOnlySpan<byte> key, bool sync = false);
    void Write(WriteBatch batch, bool sync);
    IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(ReadOnlySpan<byte> prefix);
    IEnumerable<KeyValuePair<byte[], byte[]>> IterateFrom(ReadOnlySpan<byte> start, ReadOnlySpan<byte> prefix, bool reverse = false);
}
public sealed class WriteBatch : IDisposable
{
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => throw new NotImplementedException();
    public void Delete(ReadOnlySpan<byte> key) => throw new NotImplementedException();
    public int Count => 0;
    public void Dispose() { }
}
public sealed class RocksDbStore { public static IKeyValueStore Open(string directory) => throw new NotImplementedException(); }
public sealed class StorageException(string m) : Exception(m);
