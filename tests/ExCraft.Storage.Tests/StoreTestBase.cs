namespace ExCraft.Storage.Tests;

public abstract class StoreTestBase : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<IDisposable> _owned = [];

    protected string DbPath => _dir.Path;

    /// <summary>
    /// A routing shaped like the node's (the chain hands its own in; storage does not know it): two families
    /// of three one-byte prefixes each, beside the default family.
    /// </summary>
    protected static readonly ColumnFamilyRoute[] NodeLikeLayout =
    [
        new("blocks", "B"u8.ToArray(), "C"u8.ToArray(), "E"u8.ToArray()),
        new("receipts", "R"u8.ToArray(), "X"u8.ToArray(), "h"u8.ToArray()),
    ];

    /// <summary>Options used by <see cref="OpenStore"/> when none are given: small cache and memtable, the node-like layout.</summary>
    protected virtual RocksDbOptions TestOptions => new(BlockCacheMegabytes: 8, WriteBufferMegabytes: 4) { ColumnFamilies = NodeLikeLayout };

    protected RocksDbStore OpenStore(RocksDbOptions? options = null)
    {
        var store = RocksDbStore.Open(DbPath, options ?? TestOptions);
        _owned.Add(store);
        return store;
    }

    protected static byte[] B(params byte[] bytes) => bytes;

    protected static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    protected static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    protected static List<string> Keys(IEnumerable<KeyValuePair<byte[], byte[]>> entries)
        => entries.Select(e => Hex(e.Key)).ToList();

    public void Dispose()
    {
        foreach (IDisposable d in _owned)
        {
            d.Dispose();
        }

        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
