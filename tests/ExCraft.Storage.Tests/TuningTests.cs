using Xunit.Abstractions;

namespace ExCraft.Storage.Tests;

/// <summary>The options the node relies on reach RocksDB (it records them in its OPTIONS-* file) and every
/// offered compression works with the bundled native library.</summary>
public sealed class TuningTests(ITestOutputHelper output) : StoreTestBase
{
    [Fact]
    public void NodeDefaults_AreAppliedToEveryColumnFamily()
    {
        RocksDbStore store = OpenStore(new RocksDbOptions(BlockCacheMegabytes: 16, WriteBufferMegabytes: 8) { ColumnFamilies = NodeLikeLayout });
        store.Put(Utf8("k"), Utf8("v"), sync: true);
        store.Dispose();

        string options = File.ReadAllText(Directory.GetFiles(DbPath, "OPTIONS-*").Order(StringComparer.Ordinal).Last());
        output.WriteLine(options);

        Assert.Contains("max_open_files=512", options);
        Assert.Contains("wal_recovery_mode=kPointInTimeRecovery", options);
        Assert.Contains("paranoid_checks=true", options);
        Assert.Contains("max_total_wal_size=" + (4L * 3 * 8 * 1024 * 1024), options);
        foreach (string family in new[] { "default", "blocks=42,43,45", "receipts=52,58,68" })
        {
            string section = FamilySection(options, family);
            Assert.Contains("write_buffer_size=" + (8 * 1024 * 1024), section);
            Assert.Contains("compression=kLZ4Compression", section);
            Assert.Contains("bottommost_compression=kZSTD", section);
            Assert.Contains("filter_policy=bloomfilter", section);
            Assert.Contains("cache_index_and_filter_blocks=true", section);
            Assert.Contains("pin_l0_filter_and_index_blocks_in_cache=true", section);
        }

        // The OPTIONS file does not record the cache; the info LOG prints each family's table options with it.
        string log = File.ReadAllText(Path.Combine(DbPath, "LOG"));
        Assert.Equal(3, CountOf(log, "capacity : " + (16 * 1024 * 1024)));
    }

    [Fact]
    public void BloomFilter_CanBeSwitchedOff()
    {
        RocksDbStore store = OpenStore(TestOptions with { BloomBitsPerKey = 0 });
        store.Dispose();

        string options = File.ReadAllText(Directory.GetFiles(DbPath, "OPTIONS-*").Order(StringComparer.Ordinal).Last());
        Assert.DoesNotContain("filter_policy=bloomfilter", options);
        Assert.Contains("filter_policy=nullptr", options);
    }

    [Theory]
    [InlineData(StorageCompression.None)]
    [InlineData(StorageCompression.Snappy)]
    [InlineData(StorageCompression.Lz4)]
    [InlineData(StorageCompression.Zstd)]
    public void EachCompression_IsSupportedByTheBundledLibrary_AndRoundTripsThroughSstFiles(StorageCompression compression)
    {
        RocksDbOptions options = TestOptions with { Compression = compression, BottommostCompression = compression };
        RocksDbStore store = OpenStore(options);
        // ~6 MB of very compressible values with a 4 MB memtable: at least one flush to an SST file.
        byte[] value = Enumerable.Range(0, 1024).Select(i => (byte)(i % 16)).ToArray();
        for (int i = 0; i < 6000; i++)
        {
            store.Put(Utf8($"key-{i:D6}"), value);
        }

        store.Dispose();
        RocksDbStore reopened = OpenStore(options);

        long sstBytes = Directory.GetFiles(DbPath, "*.sst").Sum(f => new FileInfo(f).Length);
        output.WriteLine($"{compression}: {sstBytes} bytes in SST files for ~6.1 MB of data");
        Assert.True(sstBytes > 0);
        if (compression == StorageCompression.None)
        {
            Assert.True(sstBytes > 6_000_000);
        }
        else
        {
            Assert.True(sstBytes < 2_000_000);
        }

        Assert.Equal(6000, reopened.IteratePrefix(Utf8("key-")).Count());
        Assert.Equal(value, reopened.Get(Utf8("key-005999")));
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The lines of the OPTIONS file from the column family's header up to the next header.</summary>
    private static string FamilySection(string options, string family)
    {
        int start = options.IndexOf($"[CFOptions \"{family}\"]", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section for column family {family}");
        int tableStart = options.IndexOf($"[TableOptions/BlockBasedTable \"{family}\"]", start, StringComparison.Ordinal);
        Assert.True(tableStart >= 0, $"no table options for column family {family}");
        int next = options.IndexOf("[CFOptions", tableStart, StringComparison.Ordinal);
        return options[start..(next < 0 ? options.Length : next)];
    }
}
