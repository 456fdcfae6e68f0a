using ExCraft.Chain.Modules.Markets.Matching;

namespace ExCraft.Rpc.MarketData;

/// <summary>
/// One market's open orders as the market-data index keeps them: each order's side, price and
/// remaining size, and the levels they add up to. Loaded from state once, then moved by the
/// committed order events (docs/market-data.md "The book"): the engine reports every change of a
/// resting order as an event (rested, partially filled, amended, filled, cancelled), so the levels
/// follow without reading the book back from state after every block, which cost a read and a
/// decode of every resting order of a changed market per block.
/// </summary>
public sealed class RestingOrders
{
    private readonly Dictionary<ulong, (Side Side, UInt128 Price, UInt128 Remaining)> _orders = [];
    private readonly SortedDictionary<UInt128, (UInt128 Size, int Orders)> _bids = [];
    private readonly SortedDictionary<UInt128, (UInt128 Size, int Orders)> _asks = [];

    public RestingOrders(IEnumerable<OrderView> open)
    {
        foreach (var o in open) Add(o.Id, o.Side, o.Price, o.RemainingSize);
    }

    public int Count => _orders.Count;

    /// <summary>
    /// Applies one order event. An order not resting here is only added by "rested" (a taker's
    /// fills before it rests change nothing in the book); "amended" moves a resting order to its new
    /// price and size, and the events after it (fills, rested again, filled) settle where it ends.
    /// </summary>
    public void Apply(string change, ulong id, Side side, UInt128 price, UInt128 remaining)
    {
        switch (change)
        {
            case "rested":
                Remove(id);
                Add(id, side, price, remaining);
                break;
            case "partially_filled" when _orders.TryGetValue(id, out var known):
                Remove(id);
                Add(id, known.Side, known.Price, remaining);
                break;
            case "amended" when _orders.ContainsKey(id):
                Remove(id);
                Add(id, side, price, remaining);
                break;
            case "filled" or "cancelled":
                Remove(id);
                break;
        }
    }

    /// <summary>The aggregated levels, best first: bids by descending price, asks ascending.</summary>
    public (IReadOnlyList<DepthLevel> Bids, IReadOnlyList<DepthLevel> Asks) Levels()
    {
        var bids = new List<DepthLevel>(_bids.Count);
        foreach (var (price, level) in _bids.Reverse()) bids.Add(new DepthLevel(price, level.Size, level.Orders));
        var asks = new List<DepthLevel>(_asks.Count);
        foreach (var (price, level) in _asks) asks.Add(new DepthLevel(price, level.Size, level.Orders));
        return (bids, asks);
    }

    private void Add(ulong id, Side side, UInt128 price, UInt128 remaining)
    {
        if (remaining == 0) return;
        _orders[id] = (side, price, remaining);
        var levels = side == Side.Buy ? _bids : _asks;
        var level = levels.GetValueOrDefault(price);
        levels[price] = (level.Size + remaining, level.Orders + 1);
    }

    private void Remove(ulong id)
    {
        if (!_orders.Remove(id, out var order)) return;
        var levels = order.Side == Side.Buy ? _bids : _asks;
        var level = levels[order.Price];
        if (level.Orders == 1) levels.Remove(order.Price);
        else levels[order.Price] = (level.Size - order.Remaining, level.Orders - 1);
    }
}
