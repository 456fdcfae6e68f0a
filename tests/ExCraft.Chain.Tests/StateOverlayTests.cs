using ExCraft.Chain.State;

namespace ExCraft.Chain.Tests;

/// <summary>
/// The overlay's prefix scan (a merge of the parent's scan with a range view of the overlay's own
/// writes) against the plain definition computed here: the visible key/value map, filtered by
/// prefix and sorted. Keys are drawn from the bytes 00, 01, 7F, FE, FF so prefixes ending in FF
/// runs, the empty prefix and keys equal to a prefix's successor all occur.
/// </summary>
public sealed class StateOverlayTests
{
    private static readonly byte[] Alphabet = [0x00, 0x01, 0x7F, 0xFE, 0xFF];

    /// <summary>A reader with nothing in it: the bottom of the overlay stack.</summary>
    private sealed class NothingReader : IStateReader
    {
        public byte[]? Get(byte[] key) => null;

        public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix) => [];

        public IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit) => [];
    }

    private static byte[] RandomKey(Random random) => Enumerable.Range(0, random.Next(1, 5)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray();

    private static IEnumerable<byte[]> Prefixes()
    {
        yield return [];
        foreach (var a in Alphabet)
        {
            yield return [a];
            foreach (var b in Alphabet) yield return [a, b];
        }
        yield return [0xFF, 0xFF, 0xFF];
        yield return [0x01, 0xFF, 0xFF, 0xFF, 0xFF];
    }

    /// <summary>Sets or deletes random keys in the overlay and records the result in the model of what a reader of it sees.</summary>
    private static void Mutate(StateOverlay overlay, Dictionary<string, (byte[] Key, byte[] Value)> visible, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var key = RandomKey(random);
            var id = Convert.ToHexString(key);
            if (random.Next(3) == 0)
            {
                overlay.Delete(key);
                visible.Remove(id);
            }
            else
            {
                var value = new[] { (byte)random.Next(256), (byte)i };
                overlay.Set(key, value);
                visible[id] = (key, value);
            }
        }
    }

    private static void AssertScansMatch(StateOverlay overlay, Dictionary<string, (byte[] Key, byte[] Value)> visible)
    {
        foreach (var prefix in Prefixes())
        {
            var expected = visible.Values.Where(e => e.Key.AsSpan().StartsWith(prefix)).OrderBy(e => e.Key, ByteArrayComparer.Instance)
                .Select(e => Convert.ToHexString(e.Key) + "=" + Convert.ToHexString(e.Value)).ToList();
            var actual = overlay.IteratePrefix(prefix).Select(e => Convert.ToHexString(e.Key) + "=" + Convert.ToHexString(e.Value)).ToList();
            Assert.Equal(expected, actual);
            foreach (var pageSize in new[] { 1, 2, 3, 7, 1000 }) Assert.Equal(expected, ReadInPages(overlay, prefix, pageSize));
        }
        foreach (var (key, value) in visible.Values) Assert.Equal(value, overlay.Get(key));
    }

    /// <summary>The whole prefix read as a chunked walk does: pages of at most pageSize, each starting after the last key of the one before.</summary>
    private static List<string> ReadInPages(StateOverlay overlay, byte[] prefix, int pageSize)
    {
        var all = new List<string>();
        byte[]? cursor = null;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var page = overlay.IteratePrefixFrom(prefix, cursor, pageSize);
            Assert.True(page.Count <= pageSize);
            all.AddRange(page.Select(e => Convert.ToHexString(e.Key) + "=" + Convert.ToHexString(e.Value)));
            if (page.Count < pageSize) return all;
            cursor = page[^1].Key;
        }
        throw new InvalidOperationException("the paged walk did not end");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Prefix_scans_of_three_stacked_overlays_equal_the_filtered_sorted_visible_map(int seed)
    {
        var random = new Random(seed);
        var visible = new Dictionary<string, (byte[] Key, byte[] Value)>();
        var bottom = new StateOverlay(new NothingReader());
        Mutate(bottom, visible, random, 150);
        var block = new StateOverlay(bottom);
        Mutate(block, visible, random, 100);
        var tx = new StateOverlay(block);
        Mutate(tx, visible, random, 60);
        AssertScansMatch(tx, visible);

        // A transaction's overlay merged into the block's overlay leaves the block seeing the same.
        tx.MergeInto(block);
        AssertScansMatch(block, visible);
        Mutate(block, visible, random, 40);
        AssertScansMatch(block, visible);
    }

    [Fact]
    public void A_scan_is_a_snapshot_taken_when_called()
    {
        var overlay = new StateOverlay(new NothingReader());
        overlay.Set([0x05, 0x01], [1]);
        overlay.Set([0x05, 0x02], [2]);
        var scan = overlay.IteratePrefix([0x05]);
        overlay.Set([0x05, 0x03], [3]);
        overlay.Delete([0x05, 0x01]);
        Assert.Equal([[0x05, 0x01], [0x05, 0x02]], scan.Select(e => e.Key).ToList());
        Assert.Equal([[0x05, 0x02], [0x05, 0x03]], overlay.IteratePrefix([0x05]).Select(e => e.Key).ToList());
    }

    [Fact]
    public void Deleting_a_key_the_parent_holds_hides_it_and_writing_it_again_shows_the_new_value()
    {
        var parent = new StateOverlay(new NothingReader());
        parent.Set([0x09, 0x01], [1]);
        parent.Set([0x09, 0x02], [2]);
        var child = new StateOverlay(parent);
        child.Delete([0x09, 0x01]);
        Assert.Equal([[0x09, 0x02]], child.IteratePrefix([0x09]).Select(e => e.Key).ToList());
        child.Set([0x09, 0x01], [7]);
        Assert.Equal([(byte)7, (byte)2], child.IteratePrefix([0x09]).Select(e => e.Value[0]).ToList());
        Assert.Single(child.Writes); // one change, the parent untouched
        Assert.Equal([1], parent.Get([0x09, 0x01]));
    }
    [Theory]
    [InlineData(11, 40, 400)] // a batch larger than half the write set: the merge path
    [InlineData(12, 400, 40)] // a small batch: inserted one by one
    public void Many_writes_at_once_equal_setting_and_deleting_each_in_turn(int seed, int before, int batchSize)
    {
        var random = new Random(seed);
        var parent = new StateOverlay(new NothingReader());
        var visible = new Dictionary<string, (byte[] Key, byte[] Value)>();
        Mutate(parent, visible, random, 200);
        var one = new StateOverlay(parent);
        var many = new StateOverlay(parent);
        for (var i = 0; i < before; i++)
        {
            var key = Enumerable.Range(0, random.Next(1, 7)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray();
            var value = new[] { (byte)random.Next(256) };
            one.Set(key, value);
            many.Set(key, value);
        }
        // Distinct keys, some already changed in the overlay, some only in the parent, some new; a third are deletions.
        var batch = new Dictionary<string, KeyValuePair<byte[], byte[]?>>();
        while (batch.Count < batchSize)
        {
            var key = Enumerable.Range(0, random.Next(1, 7)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray();
            batch[Convert.ToHexString(key)] = new(key, random.Next(3) == 0 ? null : [(byte)random.Next(256), 0xAB]);
        }
        foreach (var (key, value) in batch.Values)
        {
            if (value is null) one.Delete(key);
            else one.Set(key, value);
        }
        many.PutMany(batch.Values.ToList());

        Assert.Equal(one.Writes.Select(w => (Convert.ToHexString(w.Key), w.Value is null ? null : Convert.ToHexString(w.Value))),
            many.Writes.Select(w => (Convert.ToHexString(w.Key), w.Value is null ? null : Convert.ToHexString(w.Value))));
        foreach (var prefix in Prefixes())
            Assert.Equal(one.IteratePrefix(prefix).Select(e => Convert.ToHexString(e.Key) + Convert.ToHexString(e.Value)),
                many.IteratePrefix(prefix).Select(e => Convert.ToHexString(e.Key) + Convert.ToHexString(e.Value)));
        byte[] twice = [0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42]; // longer than any random key: new to the overlay
        Assert.Throws<ArgumentException>(() => many.PutMany([new(twice, [1]), new(twice.ToArray(), [2])]));
    }

    [Fact]
    public void A_page_starts_strictly_after_its_start_key_and_a_start_outside_the_prefix_is_clamped()
    {
        var overlay = new StateOverlay(new NothingReader());
        foreach (var k in new byte[] { 0x01, 0x03, 0x05 }) overlay.Set([0x07, k], [k]);
        overlay.Set([0x06], [0]);
        overlay.Set([0x08], [0]);
        Assert.Equal([[0x07, 0x05]], overlay.IteratePrefixFrom([0x07], [0x07, 0x03], 10).Select(e => e.Key).ToList());
        Assert.Equal([[0x07, 0x03]], overlay.IteratePrefixFrom([0x07], [0x07, 0x02], 1).Select(e => e.Key).ToList());
        Assert.Equal(3, overlay.IteratePrefixFrom([0x07], [0x06, 0xFF], 10).Count); // before the prefix: from its start
        Assert.Empty(overlay.IteratePrefixFrom([0x07], [0x07, 0xFF], 10)); // past its last key
        Assert.Empty(overlay.IteratePrefixFrom([0x07], [0x09], 10)); // past the prefix
        Assert.Empty(overlay.IteratePrefixFrom([0x07], null, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => overlay.IteratePrefixFrom([0x07], null, -1));
    }

    /// <summary>
    /// A parent whose deletions hide more than a page of the committed entries: the overlay reads
    /// further pages of its parent until its own page is full, and never more than it needs.
    /// </summary>
    [Fact]
    public void Deletions_that_hide_a_whole_parent_page_are_skipped_and_the_parent_is_read_only_as_far_as_needed()
    {
        var committed = new StateOverlay(new NothingReader());
        for (var i = 0; i < 1_000; i++) committed.Set([0x04, (byte)(i >> 8), (byte)i], [(byte)i]);
        var counting = new PageCountingReader(committed);
        var block = new StateOverlay(counting);
        for (var i = 0; i < 300; i++) block.Delete([0x04, (byte)(i >> 8), (byte)i]);
        var page = block.IteratePrefixFrom([0x04], null, 5);
        Assert.Equal(Enumerable.Range(300, 5).Select(i => (byte)i), page.Select(e => e.Value[0]));
        Assert.True(counting.EntriesReturned <= 300 + 64, $"read {counting.EntriesReturned} parent entries for a page of 5");
        Assert.Equal(0, counting.FullScans);
    }

    /// <summary>Passes reads through and counts what a page walk costs the parent.</summary>
    private sealed class PageCountingReader(IStateReader inner) : IStateReader
    {
        public int EntriesReturned;
        public int FullScans;

        public byte[]? Get(byte[] key) => inner.Get(key);

        public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix)
        {
            FullScans++;
            return inner.IteratePrefix(prefix);
        }

        public IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit)
        {
            var page = inner.IteratePrefixFrom(prefix, startAfter, limit);
            EntriesReturned += page.Count;
            return page;
        }
    }
    /// <summary>
    /// A value set as the object it encodes gives that object back to a reader of the same block:
    /// through a merge into the block's overlay and from a transaction's overlay above it. Its
    /// bytes are encoded only when something reads them, once; one deleted before that (a queued
    /// order at the block's end) is never encoded. A later write of bytes, a deletion, or a value
    /// from below the overlays is decoded. And the index built at 32 writes behaves like the tree
    /// before it (a rewrite keeps one write).
    /// </summary>
    [Fact]
    public void Values_written_as_their_object_are_read_back_as_it_and_encoded_only_when_read()
    {
        var decodes = 0;
        TextValue Decode(byte[] bytes)
        {
            decodes++;
            return new TextValue(System.Text.Encoding.UTF8.GetString(bytes));
        }
        var block = new StateOverlay(new NothingReader());
        var tx = new StateOverlay(block);
        var key = new byte[] { 1, 2, 3 };
        var written = new TextValue("queued");
        tx.Set(key, written);
        Assert.Same(written, StateOverlay.ReadDecoded(tx, key, Decode));
        tx.MergeInto(block);
        Assert.Same(written, StateOverlay.ReadDecoded(block, key, Decode));
        Assert.Same(written, StateOverlay.ReadDecoded(new StateOverlay(block), key, Decode)); // a later transaction's overlay sees it below
        Assert.Equal(0, decodes);
        Assert.Equal(0, written.Encodes);

        Assert.Equal("queued"u8.ToArray(), block.Get(key));
        Assert.Equal("queued"u8.ToArray(), Assert.Single(block.Writes).Value);
        Assert.Equal(1, written.Encodes);

        var dropped = new TextValue("dropped");
        block.Set([5], dropped);
        block.Delete([5]);
        Assert.Null(block.Get([5]));
        Assert.Equal(0, dropped.Encodes);

        for (var i = 0; i < 40; i++) block.Set([9, (byte)i], [(byte)i]); // past the index threshold
        block.Set(key, System.Text.Encoding.UTF8.GetBytes("rewritten")); // no object: the old one must not come back
        Assert.Equal("rewritten", StateOverlay.ReadDecoded(block, key, Decode)!.Text);
        Assert.Equal(1, decodes);
        Assert.Equal(42, block.Writes.Count);
        block.Delete(key);
        Assert.Null(StateOverlay.ReadDecoded(block, key, Decode));
        Assert.Null(StateOverlay.ReadDecoded(block, [7, 7], Decode));
    }

    private sealed class TextValue(string text) : IStateValue
    {
        public string Text => text;

        public int Encodes { get; private set; }

        public byte[] Encode()
        {
            Encodes++;
            return System.Text.Encoding.UTF8.GetBytes(text);
        }
    }
}
