using Xunit.Abstractions;

namespace ExCraft.Storage.Tests;

public sealed class BasicOperationsTests(ITestOutputHelper output) : StoreTestBase
{
    [Fact]
    public void Open_CreatesMissingDirectory()
    {
        Assert.False(Directory.Exists(DbPath));
        RocksDbStore store = OpenStore();
        Assert.True(Directory.Exists(DbPath));
        Assert.True(File.Exists(Path.Combine(DbPath, "CURRENT")));
        Assert.Equal(Path.GetFullPath(DbPath), store.Directory);
    }

    [Fact]
    public void PutGetDelete_RoundTrips()
    {
        RocksDbStore store = OpenStore();

        Assert.Null(store.Get(Utf8("missing")));

        store.Put(Utf8("alpha"), Utf8("one"));
        Assert.Equal(Utf8("one"), store.Get(Utf8("alpha")));

        store.Put(Utf8("alpha"), Utf8("two"), sync: true);
        Assert.Equal(Utf8("two"), store.Get(Utf8("alpha")));

        store.Delete(Utf8("alpha"));
        Assert.Null(store.Get(Utf8("alpha")));

        // deleting a missing key is not an error
        store.Delete(Utf8("never-existed"), sync: true);
        Assert.Null(store.Get(Utf8("never-existed")));
    }

    [Fact]
    public void EmptyValueAndEmptyKey_AreDistinctFromMissing()
    {
        RocksDbStore store = OpenStore();

        store.Put(Utf8("empty"), ReadOnlySpan<byte>.Empty);
        byte[]? value = store.Get(Utf8("empty"));
        Assert.NotNull(value);
        Assert.Empty(value);

        Assert.Null(store.Get(ReadOnlySpan<byte>.Empty));
        store.Put(ReadOnlySpan<byte>.Empty, B(0xAB));
        Assert.Equal(B(0xAB), store.Get(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void LargeValue_RoundTrips()
    {
        RocksDbStore store = OpenStore();
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(42).NextBytes(big);

        store.Put(Utf8("big"), big);

        Assert.Equal(big, store.Get(Utf8("big")));
    }

    [Fact]
    public void Reopen_AfterDispose_SeesData()
    {
        RocksDbStore first = OpenStore();
        first.Put(Utf8("k1"), Utf8("v1"));
        first.Put(Utf8("k2"), Utf8("v2"));
        first.Delete(Utf8("k2"));
        first.Dispose();

        RocksDbStore second = OpenStore();
        Assert.Equal(Utf8("v1"), second.Get(Utf8("k1")));
        Assert.Null(second.Get(Utf8("k2")));
    }

    [Fact]
    public void Dispose_Twice_IsSafe_AndLaterCallsThrowObjectDisposed()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("k"), Utf8("v"));

        store.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Get(Utf8("k")));
        Assert.Throws<ObjectDisposedException>(() => store.Put(Utf8("k"), Utf8("v")));
        Assert.Throws<ObjectDisposedException>(() => store.IteratePrefix(Utf8("k")).ToList());
        Assert.Throws<ObjectDisposedException>(() => store.GetSnapshot());
    }

    [Fact]
    public void Open_LockedDirectory_ThrowsStorageExceptionWithMessage()
    {
        RocksDbStore holder = OpenStore();
        holder.Put(Utf8("k"), Utf8("v"));

        StorageException ex = Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, TestOptions));

        Assert.StartsWith("RocksDB open failed for " + Path.GetFullPath(DbPath) + ": ", ex.Message);
        Assert.Contains("lock", ex.Message, StringComparison.OrdinalIgnoreCase);
        output.WriteLine(ex.Message);

        // the failed open must not disturb the holder
        Assert.Equal(Utf8("v"), holder.Get(Utf8("k")));
    }

    [Fact]
    public void Open_LockReleasedAfterDispose_CanReopen()
    {
        RocksDbStore holder = OpenStore();
        holder.Put(Utf8("k"), Utf8("v"));
        Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, TestOptions));
        holder.Dispose();

        using RocksDbStore reopened = RocksDbStore.Open(DbPath, TestOptions);
        Assert.Equal(Utf8("v"), reopened.Get(Utf8("k")));
    }

    [Fact]
    public void Open_MissingDirectoryWithoutCreate_ThrowsStorageException()
    {
        StorageException ex = Assert.Throws<StorageException>(
            () => RocksDbStore.Open(DbPath, new RocksDbOptions(CreateIfMissing: false)));

        Assert.StartsWith("RocksDB open failed for " + Path.GetFullPath(DbPath) + ": ", ex.Message);
        Assert.Contains("does not exist", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(DbPath, "CURRENT")));
    }

    [Fact]
    public void Open_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDbStore.Open(DbPath, new RocksDbOptions(BlockCacheMegabytes: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDbStore.Open(DbPath, new RocksDbOptions(WriteBufferMegabytes: -1)));
        Assert.Throws<ArgumentException>(() => RocksDbStore.Open(" "));
    }

    [Fact]
    public void ManyKeys_SurviveFlushSizedWorkload_AndReopen()
    {
        // ~6 MB of data with a 4 MB write buffer forces at least one memtable flush to an SST file,
        // exercising the block-based table (bloom filter, LZ4, block cache) path.
        RocksDbStore store = OpenStore();
        var value = new byte[1024];
        for (int i = 0; i < 6000; i++)
        {
            BitConverter.TryWriteBytes(value, i);
            store.Put(Utf8($"key-{i:D6}"), value);
        }

        store.Dispose();
        RocksDbStore reopened = OpenStore();

        Assert.True(Directory.GetFiles(DbPath, "*.sst").Length >= 1);
        for (int i = 0; i < 6000; i += 499)
        {
            byte[]? got = reopened.Get(Utf8($"key-{i:D6}"));
            Assert.NotNull(got);
            Assert.Equal(1024, got.Length);
            Assert.Equal(i, BitConverter.ToInt32(got, 0));
        }

        Assert.Null(reopened.Get(Utf8("key-999999")));
        Assert.Equal(6000, reopened.IteratePrefix(Utf8("key-")).Count());
    }
}
