namespace ExCraft.Storage.Tests;

public sealed class SnapshotTests : StoreTestBase
{
    [Fact]
    public void Snapshot_SeesStateAtCreation()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("a"), Utf8("1"));
        store.Put(Utf8("c"), Utf8("3"));

        using IStoreSnapshot snapshot = store.GetSnapshot();

        store.Put(Utf8("a"), Utf8("changed"));
        store.Put(Utf8("b"), Utf8("2"));
        store.Delete(Utf8("c"));
        using (var batch = new WriteBatch())
        {
            batch.Put(Utf8("d"), Utf8("4"));
            store.Write(batch, sync: true);
        }

        Assert.Equal(Utf8("1"), snapshot.Get(Utf8("a")));
        Assert.Null(snapshot.Get(Utf8("b")));
        Assert.Equal(Utf8("3"), snapshot.Get(Utf8("c")));
        Assert.Null(snapshot.Get(Utf8("d")));

        var snapEntries = snapshot.IteratePrefix(ReadOnlySpan<byte>.Empty).ToList();
        Assert.Equal(["a", "c"], snapEntries.Select(e => System.Text.Encoding.UTF8.GetString(e.Key)));
        Assert.Equal(["1", "3"], snapEntries.Select(e => System.Text.Encoding.UTF8.GetString(e.Value)));

        Assert.Equal(Utf8("changed"), store.Get(Utf8("a")));
        Assert.Equal(["a", "b", "d"], store.IteratePrefix(ReadOnlySpan<byte>.Empty).Select(e => System.Text.Encoding.UTF8.GetString(e.Key)));
    }

    [Fact]
    public void Snapshot_PrefixIterationHonoursBoundaries()
    {
        RocksDbStore store = OpenStore();
        store.Put(B(0x01, 0x01), B(1));
        store.Put(B(0x01, 0x02), B(2));
        store.Put(B(0x02, 0x01), B(3));

        using IStoreSnapshot snapshot = store.GetSnapshot();
        store.Put(B(0x01, 0x03), B(4));
        store.Delete(B(0x01, 0x01));

        Assert.Equal(["0101", "0102"], Keys(snapshot.IteratePrefix(B(0x01))));
        Assert.Equal(["0102", "0103"], Keys(store.IteratePrefix(B(0x01))));
    }

    [Fact]
    public void TwoSnapshots_AreIndependent()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("k"), Utf8("v1"));
        using IStoreSnapshot s1 = store.GetSnapshot();
        store.Put(Utf8("k"), Utf8("v2"));
        using IStoreSnapshot s2 = store.GetSnapshot();
        store.Put(Utf8("k"), Utf8("v3"));

        Assert.Equal(Utf8("v1"), s1.Get(Utf8("k")));
        Assert.Equal(Utf8("v2"), s2.Get(Utf8("k")));
        Assert.Equal(Utf8("v3"), store.Get(Utf8("k")));
    }

    [Fact]
    public void Snapshot_DisposeTwice_IsSafe_AndUseAfterDisposeThrows()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("k"), Utf8("v"));
        IStoreSnapshot snapshot = store.GetSnapshot();
        snapshot.Dispose();
        snapshot.Dispose();

        Assert.Throws<ObjectDisposedException>(() => snapshot.Get(Utf8("k")));
        Assert.Throws<ObjectDisposedException>(() => snapshot.IteratePrefix(Utf8("k")).ToList());
        Assert.Equal(Utf8("v"), store.Get(Utf8("k")));
    }

    [Fact]
    public void Snapshot_OutlivingStore_StaysReadable_ThenDatabaseCloses()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("k"), Utf8("v"));
        IStoreSnapshot snapshot = store.GetSnapshot();

        store.Dispose();

        Assert.Equal(Utf8("v"), snapshot.Get(Utf8("k")));
        Assert.Equal(["6B"], Keys(snapshot.IteratePrefix(Utf8("k"))));
        Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, TestOptions)); // still locked by the live snapshot

        snapshot.Dispose();

        using RocksDbStore reopened = RocksDbStore.Open(DbPath, TestOptions);
        Assert.Equal(Utf8("v"), reopened.Get(Utf8("k")));
    }
}
