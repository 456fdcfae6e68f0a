using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>An open order with its market.</summary>
public sealed record MarketOrderView(string Base, string Quote, OrderView Order);

/// <summary>
/// The markets module's typed reads over a state reader (JSON-RPC maps these): markets, depth
/// (aggregated price levels straight from the price-time keys), orders, trades, locks and fee pools.
/// </summary>
public sealed class MarketsQueries(IStateReader state)
{
    public const int MaxDepthLevels = 500;
    public const int MaxTrades = 1000;

    public Address Authority => MarketsState.ReadAuthority(state);

    public IReadOnlyList<MarketRecord> Markets() => MarketsState.ReadMarkets(state).ToList();

    public MarketRecord? Market(string baseAsset, string quoteAsset) => MarketsState.ReadMarket(state, baseAsset, quoteAsset);

    /// <summary>Up to <paramref name="levels"/> price levels of one side, best first.</summary>
    public IReadOnlyList<DepthLevel> Depth(string baseAsset, string quoteAsset, Side side, int levels)
    {
        var result = new List<DepthLevel>();
        foreach (var order in MarketsState.ReadSide(state, baseAsset, quoteAsset, side == Side.Buy))
        {
            if (result.Count > 0 && result[^1].Price == order.Price)
            {
                var last = result[^1];
                result[^1] = last with { Size = last.Size + order.RemainingSize, Orders = last.Orders + 1 };
                continue;
            }
            if (result.Count == levels) break;
            result.Add(new DepthLevel(order.Price, order.RemainingSize, 1));
        }
        return result;
    }

    public OrderView? Order(string baseAsset, string quoteAsset, ulong orderId) => MarketsState.ReadOrder(state, baseAsset, quoteAsset, orderId);

    /// <summary>The account's open orders, by market then order id.</summary>
    public IReadOnlyList<MarketOrderView> OpenOrders(Address account) =>
        MarketsState.ReadOrdersOf(state, account).Select(o => new MarketOrderView(o.Base, o.Quote, o.Order)).ToList();

    /// <summary>Trades with ids from <paramref name="fromId"/> (1 is the first), at most <paramref name="limit"/>, oldest first.</summary>
    public IReadOnlyList<TradeRecord> Trades(string baseAsset, string quoteAsset, ulong fromId, int limit) =>
        MarketsState.ReadTrades(state, baseAsset, quoteAsset, Math.Max(fromId, 1), Math.Clamp(limit, 0, MaxTrades));

    public IEnumerable<(string Asset, UInt128 Amount)> FeePools() => MarketsState.ReadFeePools(state);

    public IReadOnlyList<FeeBurnRecord> FeeBurns(ulong epoch) => MarketsState.ReadFeeBurns(state, epoch);

    public IEnumerable<(string Asset, UInt128 Amount)> LockedOf(Address account) => MarketsState.ReadLockedOf(state, account);

    public UInt128 TotalLocked(string asset) => MarketsState.ReadTotalLocked(state, asset);

    /// <summary>An account's agent keys with the heights their authorizations expire at, by agent address.</summary>
    public IReadOnlyList<(Address Agent, ulong ExpiryHeight)> Agents(Address account) => MarketsState.ReadAgents(state, account);

    /// <summary>An open order's expiry block time in ms (0: none).</summary>
    public ulong ExpiryTime(string baseAsset, string quoteAsset, ulong orderId) => MarketsState.ReadExpiryTime(state, baseAsset, quoteAsset, orderId);
}
