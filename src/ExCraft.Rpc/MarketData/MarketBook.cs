using ExCraft.Chain.Modules.Markets.Matching;

namespace ExCraft.Rpc.MarketData;

/// <summary>One changed level of a book delta: its new total size and order count (size 0: the level is gone).</summary>
public readonly record struct LevelChange(Side Side, UInt128 Price, UInt128 Size, int Orders);

/// <summary>
/// A market's aggregated book as of a per-market sequence number (docs/market-data.md): the
/// sequence counts the committed blocks that changed the market's orders, so a stream client that
/// sees sequence n+2 after n knows it missed a delta. Immutable: readers keep the instance they got.
/// </summary>
public sealed record MarketBook(string Market, ulong Sequence, ulong Height, IReadOnlyList<DepthLevel> Bids, IReadOnlyList<DepthLevel> Asks)
{
    public uint Checksum { get; } = BookChecksum.Compute(Bids, Asks);

    public static MarketBook Empty(string market) => new(market, 0, 0, [], []);

    /// <summary>The levels that differ between this book and <paramref name="next"/>, bids then asks, each best first.</summary>
    public IReadOnlyList<LevelChange> ChangesTo(MarketBook next)
    {
        var changes = new List<LevelChange>();
        Diff(Side.Buy, Bids, next.Bids, changes);
        Diff(Side.Sell, Asks, next.Asks, changes);
        return changes;
    }

    /// <summary>Applies changes to this book the way a stream client does; tests use it to rebuild a book.</summary>
    public MarketBook Apply(ulong sequence, ulong height, IReadOnlyList<LevelChange> changes) =>
        new(Market, sequence, height, ApplySide(Bids, changes.Where(c => c.Side == Side.Buy), descending: true),
            ApplySide(Asks, changes.Where(c => c.Side == Side.Sell), descending: false));

    private static void Diff(Side side, IReadOnlyList<DepthLevel> before, IReadOnlyList<DepthLevel> after, List<LevelChange> changes)
    {
        if (before.Count == 0 && after.Count == 0) return; // the usual case of a busy market whose book empties every block: nothing to allocate
        var old = before.ToDictionary(l => l.Price);
        var seen = new HashSet<UInt128>();
        foreach (var level in after)
        {
            seen.Add(level.Price);
            if (!old.TryGetValue(level.Price, out var was) || was != level) changes.Add(new LevelChange(side, level.Price, level.Size, level.Orders));
        }
        foreach (var level in before)
            if (!seen.Contains(level.Price)) changes.Add(new LevelChange(side, level.Price, 0, 0));
        // Best first: bids by descending price, asks ascending, whatever the order they were found in.
        var start = changes.FindIndex(c => c.Side == side);
        if (start < 0) return;
        var mine = changes.GetRange(start, changes.Count - start);
        mine.Sort((a, b) => side == Side.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price));
        changes.RemoveRange(start, changes.Count - start);
        changes.AddRange(mine);
    }

    private static List<DepthLevel> ApplySide(IReadOnlyList<DepthLevel> levels, IEnumerable<LevelChange> changes, bool descending)
    {
        var map = new SortedDictionary<UInt128, DepthLevel>();
        foreach (var l in levels) map[l.Price] = l;
        foreach (var c in changes)
        {
            if (c.Size == 0) map.Remove(c.Price);
            else map[c.Price] = new DepthLevel(c.Price, c.Size, c.Orders);
        }
        return descending ? [.. map.Values.Reverse()] : [.. map.Values];
    }
}
