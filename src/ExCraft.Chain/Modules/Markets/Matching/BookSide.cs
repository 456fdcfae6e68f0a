namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// One side's price levels in a sorted array with the best level LAST. Nearly all activity is at
/// or near the top of the book, so adding, filling and removing the best levels touch the end of
/// the array: O(1) plus a short copy; a level deep in the book costs a binary search and an array
/// copy of the levels above it. Bids are kept ascending by price, asks descending, by sorting on
/// a key (price for bids, bitwise NOT of price for asks) so one ascending search serves both.
/// </summary>
internal sealed class BookSide(bool isBid)
{
    // Small at first (the arrays double as levels are added): every place_order builds an empty
    // book for its dry-run checks, and 256-level arrays made that 8 KB of garbage per order.
    private const int InitialLevels = 8;
    private ulong[] _keys = new ulong[InitialLevels];
    private PriceLevel[] _levels = new PriceLevel[InitialLevels];
    private int _count;

    public bool IsBid { get; } = isBid;
    public int LevelCount => _count;
    public PriceLevel? Best => _count == 0 ? null : _levels[_count - 1];

    /// <summary>The level <paramref name="rank"/> steps from the best (0 = best).</summary>
    public PriceLevel LevelFromBest(int rank) => _levels[_count - 1 - rank];

    /// <summary>True if a price is at least as good as <paramref name="priceTicks"/> from this side's point of view.</summary>
    public bool IsAtLeastAsGood(ulong levelPrice, ulong priceTicks) => IsBid ? levelPrice >= priceTicks : levelPrice <= priceTicks;

    public PriceLevel GetOrAdd(ulong priceTicks)
    {
        var key = Key(priceTicks);
        var index = LowerBound(key);
        if (index < _count && _keys[index] == key) return _levels[index];
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _levels, _count * 2);
        }
        if (index < _count)
        {
            Array.Copy(_keys, index, _keys, index + 1, _count - index);
            Array.Copy(_levels, index, _levels, index + 1, _count - index);
        }
        var level = new PriceLevel(priceTicks);
        _keys[index] = key;
        _levels[index] = level;
        _count++;
        return level;
    }

    public void RemoveLevel(PriceLevel level)
    {
        var index = LowerBound(Key(level.PriceTicks));
        if (index >= _count || !ReferenceEquals(_levels[index], level)) throw new InvalidOperationException("price level not in its side");
        _count--;
        if (index < _count)
        {
            Array.Copy(_keys, index + 1, _keys, index, _count - index);
            Array.Copy(_levels, index + 1, _levels, index, _count - index);
        }
        _levels[_count] = null!;
    }

    private ulong Key(ulong priceTicks) => IsBid ? priceTicks : ~priceTicks;

    private int LowerBound(ulong key)
    {
        // Fast path: the best level (last) is the usual target.
        if (_count > 0 && _keys[_count - 1] <= key) return _keys[_count - 1] == key ? _count - 1 : _count;
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_keys[middle] < key) low = middle + 1; else high = middle;
        }
        return low;
    }
}
