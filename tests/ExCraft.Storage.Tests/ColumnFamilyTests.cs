using System.Buffers.Binary;
using RocksDbSharp;

namespace ExCraft.Storage.Tests;

public sealed class ColumnFamilyTests : StoreTestBase
{
    private static readonly byte[] BlockKey = [(byte)'B', 0, 0, 0, 0, 0, 0, 0, 7];
    private static readonly byte[] ReceiptKey = [(byte)'R', 0xAA, 0xBB];
    private static readonly byte[] StateKey = [(byte)'S', 0x01];

    [Fact]
    public void NodeLayout_CreatesOneFamilyPerRoute_WithPrefixesInTheStoredName()
    {
        RocksDbStore store = OpenStore();

        Assert.Equal(["default", "blocks=42,43,45", "receipts=52,58,68"], store.ColumnFamilyNames);
    }

    [Fact]
    public void Keys_AreStoredInTheFamilyOfTheirPrefix()
    {
        RocksDbStore store = OpenStore();
        store.Put(BlockKey, Utf8("block"));
        store.Put(ReceiptKey, Utf8("receipt"));
        store.Put(StateKey, Utf8("state"));
        store.Dispose();

        // Look with the package's own high-level API, independently of the store's routing code.
        var families = new ColumnFamilies();
        families.Add("blocks=42,43,45", new ColumnFamilyOptions());
        families.Add("receipts=52,58,68", new ColumnFamilyOptions());
        using RocksDb raw = RocksDb.OpenReadOnly(new DbOptions(), DbPath, families, errIfLogFileExists: false);
        ColumnFamilyHandle blocks = raw.GetColumnFamily("blocks=42,43,45");
        ColumnFamilyHandle receipts = raw.GetColumnFamily("receipts=52,58,68");

        Assert.Equal(Utf8("block"), raw.Get(BlockKey, blocks));
        Assert.Null(raw.Get(BlockKey));
        Assert.Equal(Utf8("receipt"), raw.Get(ReceiptKey, receipts));
        Assert.Null(raw.Get(ReceiptKey, blocks));
        Assert.Equal(Utf8("state"), raw.Get(StateKey));
        Assert.Null(raw.Get(StateKey, receipts));
    }

    [Fact]
    public void WholeStoreScan_MergesFamiliesInKeyOrder_ForwardAndReverse()
    {
        RocksDbStore store = OpenStore();
        byte[][] keys = [[(byte)'A'], BlockKey, [(byte)'C', 1], [(byte)'M', 1], ReceiptKey, StateKey, [(byte)'X', 9], [(byte)'h', 3]];
        foreach (byte[] key in keys.Reverse())
        {
            store.Put(key, key);
        }

        List<string> expected = keys.Select(Hex).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Keys(store.IteratePrefix(ReadOnlySpan<byte>.Empty)));

        expected.Reverse();
        Assert.Equal(expected, Keys(store.IterateFrom([0xFF, 0xFF], ReadOnlySpan<byte>.Empty, reverse: true)));
        using IStoreSnapshot snapshot = store.GetSnapshot();
        Assert.Equal(keys.Length, snapshot.IteratePrefix(ReadOnlySpan<byte>.Empty).Count());
    }

    [Fact]
    public void SyncedBatch_SpanningFamilies_IsDurableAcrossReopen()
    {
        RocksDbStore store = OpenStore();
        using (var batch = new WriteBatch())
        {
            batch.Put(BlockKey, Utf8("block"));
            batch.Put(ReceiptKey, Utf8("receipt"));
            batch.Put(StateKey, Utf8("state"));
            batch.Delete([(byte)'M', 0]);
            store.Write(batch, sync: true);
        }

        store.Dispose();
        RocksDbStore reopened = OpenStore();

        Assert.Equal(Utf8("block"), reopened.Get(BlockKey));
        Assert.Equal(Utf8("receipt"), reopened.Get(ReceiptKey));
        Assert.Equal(Utf8("state"), reopened.Get(StateKey));
    }

    [Fact]
    public async Task Snapshots_SeeBatchesSpanningFamilies_AllOrNothing()
    {
        RocksDbStore store = OpenStore();
        const int Versions = 200;
        byte[][] keys = [BlockKey, ReceiptKey, StateKey, [(byte)'h', 1], [(byte)'E', 2]];
        using var done = new CancellationTokenSource();

        Task writer = Task.Run(() =>
        {
            try
            {
                using var batch = new WriteBatch();
                for (int v = 1; v <= Versions; v++)
                {
                    batch.Clear();
                    foreach (byte[] key in keys)
                    {
                        batch.Put(key, Version(v));
                    }

                    store.Write(batch, sync: v % 50 == 0);
                }
            }
            finally
            {
                done.Cancel();
            }
        });

        int checks = 0;
        Task reader = Task.Run(() =>
        {
            do
            {
                using IStoreSnapshot snapshot = store.GetSnapshot();
                byte[]?[] seen = keys.Select(k => snapshot.Get(k)).ToArray();
                Assert.All(seen, value => Assert.Equal(seen[0], value));
                checks++;
            }
            while (!done.IsCancellationRequested);
        });

        await Task.WhenAll(writer, reader).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(checks > 0);
        Assert.All(keys, key => Assert.Equal(Version(Versions), store.Get(key)));
    }

    [Fact]
    public void Open_SingleFamilyDirectory_WithNodeLayout_FailsClearly_AndLeavesItIntact()
    {
        // The single-family layout is what the old system-library binding wrote.
        RocksDbOptions oldLayout = TestOptions with { ColumnFamilies = [] };
        RocksDbStore old = OpenStore(oldLayout);
        old.Put(BlockKey, Utf8("old block"));
        old.Dispose();

        StorageException ex = Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, TestOptions));

        Assert.StartsWith("RocksDB open failed for " + Path.GetFullPath(DbPath) + ": the database was written with another storage layout", ex.Message);
        Assert.Contains("[default]", ex.Message);
        Assert.Contains("[default, blocks=42,43,45, receipts=52,58,68]", ex.Message);
        using RocksDbStore again = RocksDbStore.Open(DbPath, oldLayout);
        Assert.Equal(Utf8("old block"), again.Get(BlockKey));
        Assert.Equal(["default"], again.ColumnFamilyNames);
    }

    [Fact]
    public void Open_WithChangedRouting_FailsClearly()
    {
        RocksDbStore store = OpenStore();
        store.Put(ReceiptKey, Utf8("receipt"));
        store.Dispose();

        RocksDbOptions moved = TestOptions with { ColumnFamilies = [new("blocks", "B"u8.ToArray(), "C"u8.ToArray(), "E"u8.ToArray(), "R"u8.ToArray()), new("receipts", "X"u8.ToArray(), "h"u8.ToArray())] };
        StorageException ex = Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, moved));

        Assert.Contains("another storage layout", ex.Message);
        using RocksDbStore reopened = RocksDbStore.Open(DbPath, TestOptions);
        Assert.Equal(Utf8("receipt"), reopened.Get(ReceiptKey));
    }

    [Fact]
    public void InvalidRoutes_AreRejected_BeforeAnythingIsCreated()
    {
        Assert.Throws<ArgumentException>(() => new ColumnFamilyRoute("empty"));
        Assert.Throws<ArgumentException>(() => new ColumnFamilyRoute("blank", []));
        Assert.Throws<ArgumentException>(() => new ColumnFamilyRoute(" ", [1]));

        RocksDbOptions[] invalid =
        [
            TestOptions with { ColumnFamilies = [new("default", [1])] },
            TestOptions with { ColumnFamilies = [new("x=y", [1])] },
            TestOptions with { ColumnFamilies = [new("a", [1]), new("a", [2])] },
            TestOptions with { ColumnFamilies = [new("a", [1]), new("b", [1])] },
        ];
        foreach (RocksDbOptions options in invalid)
        {
            Assert.Throws<ArgumentException>(() => RocksDbStore.Open(DbPath, options));
        }

        Assert.False(Directory.Exists(DbPath));
    }

    private static byte[] Version(int v)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(value, v);
        return value;
    }
}
