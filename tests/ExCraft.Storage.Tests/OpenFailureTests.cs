namespace ExCraft.Storage.Tests;

/// <summary>Directories RocksDB cannot open give a StorageException naming the directory, and change nothing.</summary>
public sealed class OpenFailureTests : StoreTestBase
{
    [Fact]
    public void Open_CorruptCurrentFile_ThrowsStorageException()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("k"), Utf8("v"));
        store.Dispose();
        string current = Path.Combine(DbPath, "CURRENT");
        File.WriteAllText(current, "MANIFEST-999999\n");

        StorageException ex = Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, TestOptions));

        Assert.StartsWith("RocksDB open failed for " + Path.GetFullPath(DbPath) + ": ", ex.Message);
        Assert.Equal("MANIFEST-999999\n", File.ReadAllText(current));
    }

    [Fact]
    public void Open_GarbageManifest_ThrowsStorageException()
    {
        RocksDbStore store = OpenStore();
        store.Put(Utf8("k"), Utf8("v"));
        store.Dispose();
        string manifest = Directory.GetFiles(DbPath, "MANIFEST-*").Single();
        File.WriteAllBytes(manifest, Enumerable.Repeat((byte)0x5A, 4096).ToArray());

        StorageException ex = Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, TestOptions));

        Assert.StartsWith("RocksDB open failed for " + Path.GetFullPath(DbPath) + ": ", ex.Message);
    }

    [Fact]
    public void Open_PathIsARegularFile_ThrowsStorageException()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        File.WriteAllText(DbPath, "not a database");
        try
        {
            StorageException ex = Assert.Throws<StorageException>(() => RocksDbStore.Open(DbPath, TestOptions));

            Assert.StartsWith("RocksDB open failed for " + Path.GetFullPath(DbPath) + ": ", ex.Message);
            Assert.Equal("not a database", File.ReadAllText(DbPath));
        }
        finally
        {
            File.Delete(DbPath);
        }
    }

    [Fact]
    public void Open_InvalidTuning_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDbStore.Open(DbPath, TestOptions with { MaxOpenFiles = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDbStore.Open(DbPath, TestOptions with { BloomBitsPerKey = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDbStore.Open(DbPath, TestOptions with { Compression = (StorageCompression)99 }));
        Assert.False(Directory.Exists(DbPath));
    }
}
