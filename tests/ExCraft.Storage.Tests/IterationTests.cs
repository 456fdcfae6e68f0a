using System.Buffers.Binary;

namespace ExCraft.Storage.Tests;

/// <summary>Prefix and range iteration; <see cref="IterationAcrossColumnFamiliesTests"/> runs every case again with the keys spread over several column families.</summary>
public class IterationTests : StoreTestBase
{
    // Deliberately inserted out of order.
    private static readonly byte[][] BoundaryKeys =
    [
        [0x02],
        [0x01, 0xFF, 0x01],
        [0x00],
        [0x01],
        [0xFF, 0xFF, 0x00],
        [0x01, 0x05],
        [0xFF],
        [0x01, 0xFF],
        [0x01, 0x00],
        [0xFF, 0xFF],
        [0x02, 0x00],
        [0xFE, 0xFF],
    ];

    private RocksDbStore OpenWithBoundaryKeys()
    {
        RocksDbStore store = OpenStore();
        foreach (byte[] key in BoundaryKeys)
        {
            // value = key with a 0xEE marker so key/value pairing can be checked
            store.Put(key, [0xEE, .. key]);
        }

        return store;
    }

    [Fact]
    public void IteratePrefix_0x01_ReturnsOnlyPrefixKeysInOrder()
    {
        RocksDbStore store = OpenWithBoundaryKeys();

        var entries = store.IteratePrefix(B(0x01)).ToList();

        Assert.Equal(["01", "0100", "0105", "01FF", "01FF01"], Keys(entries));
        Assert.All(entries, e => Assert.Equal([0xEE, .. e.Key], e.Value));
    }

    [Fact]
    public void IteratePrefix_0x01FF_ExcludesShorterAndSiblingKeys()
    {
        RocksDbStore store = OpenWithBoundaryKeys();

        Assert.Equal(["01FF", "01FF01"], Keys(store.IteratePrefix(B(0x01, 0xFF))));
    }

    [Fact]
    public void IteratePrefix_0x02_StopsAtPrefixBoundary()
    {
        RocksDbStore store = OpenWithBoundaryKeys();

        Assert.Equal(["02", "0200"], Keys(store.IteratePrefix(B(0x02))));
        Assert.Equal(["0200"], Keys(store.IteratePrefix(B(0x02, 0x00))));
        Assert.Empty(store.IteratePrefix(B(0x03)));
        Assert.Empty(store.IteratePrefix(B(0x01, 0x06)));
    }

    [Fact]
    public void IteratePrefix_Empty_ReturnsEverythingInOrder()
    {
        RocksDbStore store = OpenWithBoundaryKeys();

        Assert.Equal(
            ["00", "01", "0100", "0105", "01FF", "01FF01", "02", "0200", "FEFF", "FF", "FFFF", "FFFF00"],
            Keys(store.IteratePrefix(ReadOnlySpan<byte>.Empty)));
    }

    [Fact]
    public void IteratePrefix_AllFFBytes_HasNoUpperBoundButStaysInPrefix()
    {
        RocksDbStore store = OpenWithBoundaryKeys();

        Assert.Equal(["FF", "FFFF", "FFFF00"], Keys(store.IteratePrefix(B(0xFF))));
        Assert.Equal(["FFFF", "FFFF00"], Keys(store.IteratePrefix(B(0xFF, 0xFF))));
        Assert.Empty(store.IteratePrefix(B(0xFF, 0xFF, 0xFF)));
        Assert.Equal(["FEFF"], Keys(store.IteratePrefix(B(0xFE))));
    }

    [Fact]
    public void IteratePrefix_SkipsDeletedKeys()
    {
        RocksDbStore store = OpenWithBoundaryKeys();
        store.Delete(B(0x01, 0x05));
        store.Delete(B(0x01));

        Assert.Equal(["0100", "01FF", "01FF01"], Keys(store.IteratePrefix(B(0x01))));
    }

    [Fact]
    public void IteratePrefix_IsLazy_AndReenumerable()
    {
        RocksDbStore store = OpenWithBoundaryKeys();
        IEnumerable<KeyValuePair<byte[], byte[]>> query = store.IteratePrefix(B(0x02));

        store.Put(B(0x02, 0x01), B(0x42));

        Assert.Equal(["02", "0200", "0201"], Keys(query));
        store.Delete(B(0x02));
        Assert.Equal(["0200", "0201"], Keys(query));
    }

    private static byte[] HeightKey(byte table, uint height)
    {
        var key = new byte[5];
        key[0] = table;
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(1), height);
        return key;
    }

    private RocksDbStore OpenWithHeights()
    {
        RocksDbStore store = OpenStore();
        for (uint h = 0; h < 10; h++)
        {
            store.Put(HeightKey(0x10, h), BitConverter.GetBytes(h));
        }

        // neighbours on both sides of the 0x10 table
        store.Put(HeightKey(0x0F, 100), B(0x0F));
        store.Put(HeightKey(0x11, 0), B(0x11));
        return store;
    }

    private static List<uint> Heights(IEnumerable<KeyValuePair<byte[], byte[]>> entries)
        => entries.Select(e =>
        {
            uint fromKey = BinaryPrimitives.ReadUInt32BigEndian(e.Key.AsSpan(1));
            Assert.Equal(fromKey, BitConverter.ToUInt32(e.Value));
            return fromKey;
        }).ToList();

    [Fact]
    public void IterateFrom_Forward_StartsAtStartAndStopsAtPrefixEnd()
    {
        RocksDbStore store = OpenWithHeights();

        Assert.Equal([5u, 6, 7, 8, 9], Heights(store.IterateFrom(HeightKey(0x10, 5), B(0x10))));
        Assert.Equal([0u, 1, 2, 3, 4, 5, 6, 7, 8, 9], Heights(store.IterateFrom(B(0x10), B(0x10))));
    }

    [Fact]
    public void IterateFrom_Forward_MissingStartKey_SeeksToNextKey()
    {
        RocksDbStore store = OpenWithHeights();
        store.Delete(HeightKey(0x10, 5));

        Assert.Equal([6u, 7, 8, 9], Heights(store.IterateFrom(HeightKey(0x10, 5), B(0x10))));
    }

    [Fact]
    public void IterateFrom_Forward_PastLastKey_IsEmpty()
    {
        RocksDbStore store = OpenWithHeights();

        Assert.Empty(store.IterateFrom(HeightKey(0x10, uint.MaxValue), B(0x10)));
    }

    [Fact]
    public void IterateFrom_Reverse_WalksDownAndStopsAtPrefixStart()
    {
        RocksDbStore store = OpenWithHeights();

        Assert.Equal([5u, 4, 3, 2, 1, 0], Heights(store.IterateFrom(HeightKey(0x10, 5), B(0x10), reverse: true)));
    }

    [Fact]
    public void IterateFrom_Reverse_FromMaxKey_FindsLatest()
    {
        RocksDbStore store = OpenWithHeights();

        List<uint> all = Heights(store.IterateFrom(HeightKey(0x10, uint.MaxValue), B(0x10), reverse: true));
        Assert.Equal([9u, 8, 7, 6, 5, 4, 3, 2, 1, 0], all);

        // typical "latest entry" lookup
        KeyValuePair<byte[], byte[]> latest = store.IterateFrom(HeightKey(0x10, uint.MaxValue), B(0x10), reverse: true).First();
        Assert.Equal(HeightKey(0x10, 9), latest.Key);
    }

    [Fact]
    public void IterateFrom_Reverse_MissingStartKey_SeeksToPreviousKey()
    {
        RocksDbStore store = OpenWithHeights();
        store.Delete(HeightKey(0x10, 7));

        Assert.Equal([6u, 5], Heights(store.IterateFrom(HeightKey(0x10, 7), B(0x10), reverse: true).Take(2)));
    }

    [Fact]
    public void IterateFrom_Reverse_BeforeFirstKey_IsEmpty()
    {
        RocksDbStore store = OpenWithHeights();

        // the last key <= 0x10 is 0x0F..., which is outside the prefix
        Assert.Empty(store.IterateFrom(B(0x10), B(0x10), reverse: true));
    }

    [Fact]
    public void IterateFrom_Reverse_AllFFPrefix()
    {
        RocksDbStore store = OpenWithBoundaryKeys();

        Assert.Equal(["FFFF00", "FFFF", "FF"], Keys(store.IterateFrom(B(0xFF, 0xFF, 0xFF), B(0xFF), reverse: true)));
        Assert.Equal(["FF", "FFFF", "FFFF00"], Keys(store.IterateFrom(B(0xFF), B(0xFF))));
    }

    [Fact]
    public void IterateFrom_EmptyPrefix_CrossesTables()
    {
        RocksDbStore store = OpenWithHeights();

        List<string> forward = Keys(store.IterateFrom(HeightKey(0x10, 8), ReadOnlySpan<byte>.Empty));
        Assert.Equal([Hex(HeightKey(0x10, 8)), Hex(HeightKey(0x10, 9)), Hex(HeightKey(0x11, 0))], forward);

        List<string> backward = Keys(store.IterateFrom(HeightKey(0x10, 1), ReadOnlySpan<byte>.Empty, reverse: true));
        Assert.Equal([Hex(HeightKey(0x10, 1)), Hex(HeightKey(0x10, 0)), Hex(HeightKey(0x0F, 100))], backward);
    }

    [Fact]
    public void AbandonedEnumeration_ReleasesIterator_SoStoreCanCloseAndReopen()
    {
        RocksDbStore store = OpenWithHeights();

        // break out early: the iterator's finally must release the native iterator
        foreach (KeyValuePair<byte[], byte[]> entry in store.IteratePrefix(B(0x10)))
        {
            Assert.Equal(HeightKey(0x10, 0), entry.Key);
            break;
        }

        Assert.Equal(HeightKey(0x10, 9), store.IterateFrom(HeightKey(0x10, 99), B(0x10), reverse: true).First().Key);

        store.Dispose();

        // if an iterator still held the database, the LOCK file would still be held
        using RocksDbStore reopened = RocksDbStore.Open(DbPath, TestOptions);
        Assert.Equal(10, reopened.IteratePrefix(B(0x10)).Count());
    }

    [Fact]
    public void OpenEnumerator_KeepsDatabaseUsable_AfterStoreDispose()
    {
        RocksDbStore store = OpenWithHeights();
        using IEnumerator<KeyValuePair<byte[], byte[]>> e = store.IteratePrefix(B(0x10)).GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(HeightKey(0x10, 0), e.Current.Key);

        store.Dispose();

        // the live iterator keeps the native DB open; it can finish its walk safely
        var rest = new List<byte[]>();
        while (e.MoveNext())
        {
            rest.Add(e.Current.Key);
        }

        Assert.Equal(9, rest.Count);
        Assert.Equal(HeightKey(0x10, 9), rest[^1]);
        Assert.Throws<ObjectDisposedException>(() => store.Get(HeightKey(0x10, 0)));
    }
}
