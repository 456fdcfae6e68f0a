using ExCraft.Chain.Store;
using ExCraft.Storage;

namespace ExCraft.Chain.Tests;

/// <summary>
/// Bounded pages of the committed state on a real RocksDB store (the node's column-family
/// layout): a walk in pages of any size yields exactly the prefix scan, starts strictly after its
/// start key, and stops at the prefix's end even where other tables' keys follow.
/// </summary>
public sealed class CommittedStatePageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "excraft-pages-" + Guid.NewGuid().ToString("N"));
    private readonly RocksDbStore _store;
    private readonly CommittedState _state;

    public CommittedStatePageTests()
    {
        _store = RocksDbStore.Open(_directory, ChainKeys.StoreOptions());
        _state = new CommittedState(_store);
        var random = new Random(5);
        foreach (var module in new byte[] { 0x04, 0x05, 0x06 })
            for (var i = 0; i < 500; i++)
                _store.Put(ChainKeys.StateKey([module, (byte)random.Next(256), (byte)(i >> 8), (byte)i]), [module, (byte)i]);
        _store.Put([0x42, 0x05, 0x01], [1]); // another table's key that sorts between state keys of other tables: never returned
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(499)]
    [InlineData(500)]
    [InlineData(5000)]
    public void Pages_of_any_size_walk_exactly_the_prefix(int pageSize)
    {
        byte[] prefix = [0x05];
        var expected = _state.IteratePrefix(prefix).Select(e => Convert.ToHexString(e.Key)).ToList();
        Assert.Equal(500, expected.Count);
        var walked = new List<string>();
        byte[]? cursor = null;
        for (var pages = 0; pages <= 500; pages++)
        {
            var page = _state.IteratePrefixFrom(prefix, cursor, pageSize);
            Assert.True(page.Count <= pageSize);
            Assert.All(page, e => Assert.Equal(0x05, e.Key[0]));
            walked.AddRange(page.Select(e => Convert.ToHexString(e.Key)));
            if (page.Count < pageSize) break;
            cursor = page[^1].Key;
        }
        Assert.Equal(expected, walked);
    }

    [Fact]
    public void A_start_key_itself_is_never_returned_and_a_start_before_the_prefix_begins_at_it()
    {
        var all = _state.IteratePrefix([0x06]).ToList();
        var page = _state.IteratePrefixFrom([0x06], all[10].Key, 2);
        Assert.Equal([all[11].Key, all[12].Key], page.Select(e => e.Key).ToList());
        Assert.Equal(all[0].Key, _state.IteratePrefixFrom([0x06], [0x05, 0xFF], 1)[0].Key);
        Assert.Empty(_state.IteratePrefixFrom([0x06], all[^1].Key, 10));
        Assert.Empty(_state.IteratePrefixFrom([0x06], [0x07], 10));
    }

    public void Dispose()
    {
        _store.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
