namespace ExCraft.Storage.Tests;

public sealed class WriteBatchTests : StoreTestBase
{
    [Fact]
    public void Batch_AllKeysVisibleOnlyAfterWrite()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("doomed"), Utf8("x"));

        using var batch = new WriteBatch();
        for (int i = 0; i < 50; i++)
        {
            batch.Put(Utf8($"b{i:D2}"), Utf8($"value{i}"));
        }

        batch.Delete(Utf8("doomed"));
        Assert.Equal(51, batch.Count);

        // nothing is applied before Write
        Assert.Null(store.Get(Utf8("b00")));
        Assert.Equal(Utf8("x"), store.Get(Utf8("doomed")));

        store.Write(batch, sync: false);

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(Utf8($"value{i}"), store.Get(Utf8($"b{i:D2}")));
        }

        Assert.Null(store.Get(Utf8("doomed")));
        Assert.Equal(50, store.IteratePrefix(Utf8("b")).Count());
    }

    [Fact]
    public void Batch_SpanningManySegmentsAndOversizedRecordsKeepsEveryOperationInOrder()
    {
        RocksDbStore store = OpenStore();
        using var batch = new WriteBatch();
        var expected = new Dictionary<string, byte[]?>();
        var random = new Random(7);
        // About 3 MB of small records (many segments), with records larger than a segment among them, and
        // later writes of the same keys (a put after a delete, a delete after a put) in later segments;
        // some values are written in place (PutInPlace), small and large.
        for (int i = 0; i < 6_000; i++)
        {
            string key = $"k{i % 4_000:D5}";
            if (i % 1_000 == 999)
            {
                byte[] large = new byte[WriteBatch.SegmentSize + random.Next(1, 200_000)];
                random.NextBytes(large);
                if (i % 2_000 == 999) large.CopyTo(batch.PutInPlace(Utf8(key), large.Length)); // written where the batch keeps it
                else batch.Put(Utf8(key), large);
                expected[key] = large;
            }
            else if (i % 7 == 3)
            {
                batch.Delete(Utf8(key));
                expected[key] = null;
            }
            else
            {
                byte[] value = new byte[random.Next(0, 900)];
                random.NextBytes(value);
                if (i % 5 == 0) value.CopyTo(batch.PutInPlace(Utf8(key), value.Length));
                else batch.Put(Utf8(key), value);
                expected[key] = value;
            }
        }
        Assert.Equal(6_000, batch.Count);
        store.Write(batch, sync: false);
        foreach (var (key, value) in expected) Assert.Equal(value, store.Get(Utf8(key)));

        // Reused after Clear: only the new operations are written.
        batch.Clear();
        batch.Put(Utf8("after-clear"), Utf8("v"));
        Assert.Equal(1, batch.Count);
        store.Write(batch, sync: false);
        Assert.Equal(Utf8("v"), store.Get(Utf8("after-clear")));
        Assert.Equal(expected.Count(e => e.Value is not null) + 1, store.IteratePrefix(Utf8("")).Count());
    }

    [Fact]
    public void Batch_LaterOperationsWinWithinBatch()
    {
        RocksDbStore store = OpenStore();
        using var batch = new WriteBatch();
        batch.Put(Utf8("k"), Utf8("first"));
        batch.Put(Utf8("k"), Utf8("second"));
        batch.Put(Utf8("gone"), Utf8("x"));
        batch.Delete(Utf8("gone"));

        store.Write(batch, sync: false);

        Assert.Equal(Utf8("second"), store.Get(Utf8("k")));
        Assert.Null(store.Get(Utf8("gone")));
    }

    [Fact]
    public void Batch_ClearResetsCountAndContents()
    {
        RocksDbStore store = OpenStore();
        using var batch = new WriteBatch();
        batch.Put(Utf8("a"), Utf8("1"));
        batch.Put(Utf8("b"), Utf8("2"));
        Assert.Equal(2, batch.Count);

        batch.Clear();
        Assert.Equal(0, batch.Count);

        batch.Put(Utf8("c"), Utf8("3"));
        store.Write(batch, sync: false);

        Assert.Null(store.Get(Utf8("a")));
        Assert.Null(store.Get(Utf8("b")));
        Assert.Equal(Utf8("3"), store.Get(Utf8("c")));
    }

    [Fact]
    public void Batch_WithSync_IsDurableAcrossReopen()
    {
        RocksDbStore store = OpenStore();
        using (var batch = new WriteBatch())
        {
            batch.Put(Utf8("block/0001"), Utf8("header-1"));
            batch.Put(Utf8("tip"), Utf8("0001"));
            store.Write(batch, sync: true);
        }

        Assert.Equal(Utf8("header-1"), store.Get(Utf8("block/0001")));
        store.Dispose();

        RocksDbStore reopened = OpenStore();
        Assert.Equal(Utf8("header-1"), reopened.Get(Utf8("block/0001")));
        Assert.Equal(Utf8("0001"), reopened.Get(Utf8("tip")));
    }

    [Fact]
    public void Batch_CanBeReusedAfterWrite()
    {
        RocksDbStore store = OpenStore();
        using var batch = new WriteBatch();
        batch.Put(Utf8("x"), Utf8("1"));
        store.Write(batch, sync: false);
        batch.Clear();
        batch.Put(Utf8("y"), Utf8("2"));
        store.Write(batch, sync: true);

        Assert.Equal(Utf8("1"), store.Get(Utf8("x")));
        Assert.Equal(Utf8("2"), store.Get(Utf8("y")));
    }

    [Fact]
    public void Batch_DisposeTwice_IsSafe_AndUseAfterDisposeThrows()
    {
        RocksDbStore store = OpenStore();
        var batch = new WriteBatch();
        batch.Put(Utf8("k"), Utf8("v"));
        batch.Dispose();
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch.Put(Utf8("k"), Utf8("v")));
        Assert.Throws<ObjectDisposedException>(() => batch.Count);
        Assert.Throws<ObjectDisposedException>(() => store.Write(batch, sync: false));
        Assert.Null(store.Get(Utf8("k")));
    }

    [Fact]
    public void EmptyBatch_WriteIsNoOp()
    {
        RocksDbStore store = OpenStore();
        using var batch = new WriteBatch();
        Assert.Equal(0, batch.Count);

        store.Write(batch, sync: true);

        Assert.Empty(store.IteratePrefix(ReadOnlySpan<byte>.Empty));
    }
}
