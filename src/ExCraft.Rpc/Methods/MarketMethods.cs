using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.MarketData;
using ExCraft.Rpc.Subscriptions;

namespace ExCraft.Rpc.Methods;

/// <summary>
/// The markets module's methods, in the `market_` namespace (docs/rpc.md, docs/markets.md): markets,
/// one market, depth, one order, an account's open orders, a market's trades, the fee pools. A
/// market is named "BASE/QUOTE"; amounts are base-unit decimal strings. With the market-data
/// index (docs/market-data.md) also the sequenced book, the order-level book, order history,
/// trades by block time, candles, tickers and the market streams (market_subscribe).
/// </summary>
public sealed class MarketMethods(Blockchain chain, MarketDataIndex? index = null, SubscriptionHub? hub = null)
{
    public const int DefaultDepthLevels = 20;
    public const int DefaultTrades = 100;
    public const int MaxBookLevels = 5_000;
    public const int DefaultBookOrders = 1_000;
    public const int MaxBookOrders = 10_000;
    public const int DefaultHistory = 100;
    public const int MaxHistory = 1_000;
    public const int DefaultCandles = 500;
    public const int MaxCandles = 1_000;

    private MarketsQueries Queries => MarketsModule.Queries(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("market_list", 0, (_, _) => new JsonArray(Queries.Markets().Select(m => (JsonNode)Market(m)).ToArray()));
        registry.Add("market_get", 1, (p, _) =>
        {
            var (b, q) = Pair(p, 0);
            return Queries.Market(b, q) is { } m ? Market(m) : null;
        });
        registry.Add("market_depth", 2, (p, _) =>
        {
            var (b, q) = Pair(p, 0);
            var levels = p.Int(1, "levels", DefaultDepthLevels, 1, MarketsQueries.MaxDepthLevels);
            var queries = Queries;
            if (queries.Market(b, q) is null) throw new RpcException(RpcErrorCodes.InvalidParams, $"unknown market {MarketPairs.Name(b, q)}");
            // The index's aggregated book: a few levels from memory instead of every resting order of
            // the side read and decoded from state (docs/BENCHMARKS.md e2e-orders, round 5). Only once
            // the index has applied the head, so an answer never goes behind a block a client saw committed.
            var (bids, asks, height) = index is not null && index.Height >= chain.Head.Height && index.BookAtHead(MarketPairs.Name(b, q)) is var (book, at)
                ? ((IEnumerable<DepthLevel>)book.Bids.Take(levels), (IEnumerable<DepthLevel>)book.Asks.Take(levels), at)
                : (queries.Depth(b, q, Side.Buy, levels), queries.Depth(b, q, Side.Sell, levels), chain.Head.Height);
            return new JsonObject
            {
                ["market"] = MarketPairs.Name(b, q),
                ["height"] = height,
                ["bids"] = MarketMethodsJson.Levels(bids),
                ["asks"] = MarketMethodsJson.Levels(asks),
            };
        });
        registry.Add("market_getOrder", 2, (p, _) =>
        {
            var (b, q) = Pair(p, 0);
            var id = p.Required(1, "orderId").GetUInt64();
            return Queries.Order(b, q, id) is { } order ? Order(b, q, order) : null;
        });
        registry.Add("market_openOrders", 1, (p, _) =>
            new JsonArray(Queries.OpenOrders(p.Address(0, "account")).Select(o => (JsonNode)Order(o.Base, o.Quote, o.Order)).ToArray()));
        registry.Add("market_trades", 3, (p, _) =>
        {
            var (b, q) = Pair(p, 0);
            var from = p.Optional(1) is { } f ? f.GetUInt64() : 1;
            var limit = p.Int(2, "limit", DefaultTrades, 1, MarketsQueries.MaxTrades);
            return new JsonArray(Queries.Trades(b, q, from, limit).Select(t => (JsonNode)MarketMethodsJson.Trade(t)).ToArray());
        });
        registry.Add("market_feeBurns", 1, (p, _) => new JsonArray(Queries.FeeBurns(p.Required(0, "epoch").GetUInt64()).Select(r => (JsonNode)new JsonObject
        {
            ["epoch"] = r.Epoch, ["asset"] = r.Asset, ["collected"] = ChainJson.Units(r.Collected), ["spent"] = ChainJson.Units(r.Spent),
            ["burned"] = ChainJson.Units(r.Burned), ["toOperations"] = ChainJson.Units(r.ToOperations), ["kept"] = ChainJson.Units(r.Kept),
        }).ToArray()));
        registry.Add("market_bookOrders", 2, (p, _) => BookOrders(p));
        if (index is not null) RegisterMarketData(registry, index);
        registry.Add("market_feePools", 0, (_, _) => new JsonArray(Queries.FeePools()
            .Select(f => (JsonNode)new JsonObject { ["asset"] = f.Asset, ["amount"] = ChainJson.Units(f.Amount) }).ToArray()));
        registry.Add("market_params", 0, (_, _) => MarketParams.Read(chain.State) is var mp
            ? new JsonObject { ["feeBurnPpm"] = mp.FeeBurnPpm, ["buybackSlippagePpm"] = mp.BuybackSlippagePpm, ["minFeeBurnPpm"] = MarketParameters.MinFeeBurnPpm }
            : null);
    }

    private void RegisterMarketData(RpcMethodRegistry registry, MarketDataIndex data)
    {
        registry.Add("market_book", 2, (p, _) =>
        {
            var market = ListedMarket(p, 0);
            return MarketMethodsJson.Book(data.Book(market), p.Int(1, "levels", DefaultDepthLevels, 1, MaxBookLevels));
        });
        registry.Add("market_orderStatus", 2, (p, _) =>
        {
            var market = ListedMarket(p, 0);
            var id = MarketMethodsJson.OptionalULong(p, 1, "orderId") ?? throw new RpcException(RpcErrorCodes.InvalidParams, "parameter 1 (orderId) is missing");
            return data.Order(market, id) is { } o ? MarketMethodsJson.HistoryOrder(o) : null;
        });
        registry.Add("market_orderHistory", 4, (p, _) =>
        {
            var account = p.Address(0, "account");
            var market = p.Optional(1) is null ? null : ListedMarket(p, 1);
            var (orders, next) = data.OrderHistory(account, market, p.Int(2, "limit", DefaultHistory, 1, MaxHistory), MarketMethodsJson.OptionalULong(p, 3, "before"));
            return new JsonObject { ["orders"] = new JsonArray(orders.Select(o => (JsonNode)MarketMethodsJson.HistoryOrder(o)).ToArray()), ["next"] = next };
        });
        registry.Add("market_tradesByTime", 5, (p, _) =>
        {
            var market = ListedMarket(p, 0);
            var from = MarketMethodsJson.OptionalULong(p, 1, "fromMs") ?? 0;
            var to = MarketMethodsJson.OptionalULong(p, 2, "toMs") ?? ulong.MaxValue;
            if (from > to) throw new RpcException(RpcErrorCodes.InvalidParams, "parameter 1 (fromMs) must not be after parameter 2 (toMs)");
            var (trades, more) = data.TradesByTime(market, from, to, MarketMethodsJson.OptionalULong(p, 4, "afterId") ?? 0, p.Int(3, "limit", DefaultTrades, 1, MarketsQueries.MaxTrades));
            return new JsonObject
            {
                ["trades"] = new JsonArray(trades.Select(t => (JsonNode)MarketMethodsJson.Trade(t)).ToArray()),
                ["next"] = more ? trades[^1].Trade.Id : null,
            };
        });
        registry.Add("market_candles", 5, (p, _) =>
        {
            var market = ListedMarket(p, 0);
            var interval = Interval(p, 1);
            var from = MarketMethodsJson.OptionalULong(p, 2, "fromMs");
            var to = MarketMethodsJson.OptionalULong(p, 3, "toMs") ?? ulong.MaxValue;
            if (from > to) throw new RpcException(RpcErrorCodes.InvalidParams, "parameter 2 (fromMs) must not be after parameter 3 (toMs)");
            var candles = data.Candles(market, interval, from, to, p.Int(4, "limit", DefaultCandles, 1, MaxCandles));
            return new JsonArray(candles.Select(c => (JsonNode)MarketMethodsJson.Candle(market, interval, c)).ToArray());
        });
        registry.Add("market_ticker", 1, (p, _) => MarketMethodsJson.Ticker(data.Ticker(ListedMarket(p, 0))));
        registry.Add("market_tickers", 0, (_, _) => new JsonArray(Queries.Markets().Select(m => (JsonNode)MarketMethodsJson.Ticker(data.Ticker(m.Definition.Pair))).ToArray()));
        if (hub is not null) registry.Add("market_streamStats", 0, (_, _) => new JsonObject { ["connections"] = hub.SessionCount, ["dropped"] = hub.DroppedSessions });
        if (hub is not null) registry.Add("market_subscribe", 3, (p, c) => hub.SubscribeMarket(p, c.Session ?? throw new RpcException(RpcErrorCodes.InvalidRequest, "subscriptions need a WebSocket connection (ws://host:port/ws)"), ListedMarket));
    }

    /// <summary>Every open order of both sides in price-time order, at most limit a side.</summary>
    private JsonObject BookOrders(RpcParams p)
    {
        var (b, q) = Pair(p, 0);
        var limit = p.Int(1, "limit", DefaultBookOrders, 1, MaxBookOrders);
        var state = chain.State;
        var height = chain.Head.Height;
        if (MarketsModule.Queries(state).Market(b, q) is null) throw new RpcException(RpcErrorCodes.InvalidParams, $"unknown market {MarketPairs.Name(b, q)}");
        JsonArray Side(bool buy) => new(Chain.Modules.Markets.MarketsState.ReadSide(state, b, q, buy).Take(limit).Select(o => (JsonNode)Order(b, q, o)).ToArray());
        return new JsonObject { ["market"] = MarketPairs.Name(b, q), ["height"] = height, ["bids"] = Side(true), ["asks"] = Side(false) };
    }

    /// <summary>A "BASE/QUOTE" parameter naming a listed market, as its canonical name.</summary>
    private string ListedMarket(RpcParams p, int index)
    {
        var (b, q) = Pair(p, index);
        return Queries.Market(b, q) is null ? throw new RpcException(RpcErrorCodes.InvalidParams, $"unknown market {MarketPairs.Name(b, q)}") : MarketPairs.Name(b, q);
    }

    public static CandleInterval Interval(RpcParams p, int index)
    {
        var text = p.String(index, "interval");
        return CandleInterval.Parse(text) ?? throw new RpcException(RpcErrorCodes.InvalidParams,
            $"parameter {index} (interval) must be one of {string.Join(", ", CandleInterval.All.Select(i => i.Name))}; got \"{RpcText.Echo(text)}\"");
    }

    private static (string Base, string Quote) Pair(RpcParams p, int index)
    {
        var text = p.String(index, "market");
        return MarketPairs.TryParse(text, out var b, out var q) ? (b, q) : throw new RpcException(RpcErrorCodes.InvalidParams, $"market must be \"BASE/QUOTE\", got \"{RpcText.Echo(text)}\"");
    }

    private static JsonObject Market(MarketRecord m) => new()
    {
        ["market"] = m.Definition.Pair,
        ["base"] = m.Base,
        ["quote"] = m.Quote,
        ["tickSize"] = ChainJson.Units(m.Definition.TickSize),
        ["lotSize"] = ChainJson.Units(m.Definition.LotSize),
        ["minNotional"] = ChainJson.Units(m.Definition.MinNotional),
        ["priceScale"] = ChainJson.Units(m.PriceScale),
        ["makerFeePpm"] = m.Definition.MakerFeePpm,
        ["takerFeePpm"] = m.Definition.TakerFeePpm,
        ["status"] = m.Definition.Halted ? "halted" : "active",
        ["mode"] = m.Mode == MatchingMode.Continuous ? "continuous" : "batch",
        ["lastTradePrice"] = ChainJson.Units(m.LastTradePrice),
        ["nextOrderId"] = m.NextOrderId,
        ["tradeCount"] = m.NextTradeId - 1,
    };

    private static JsonObject Order(string b, string q, OrderView o) => new()
    {
        ["market"] = MarketPairs.Name(b, q),
        ["id"] = o.Id,
        ["account"] = o.Account.ToString(),
        ["clientOrderId"] = o.ClientOrderId,
        ["side"] = MarketsText.Side(o.Side),
        ["timeInForce"] = MarketsText.TimeInForce(o.TimeInForce),
        ["price"] = ChainJson.Units(o.Price),
        ["remaining"] = ChainJson.Units(o.RemainingSize),
        ["locked"] = ChainJson.Units(o.Locked),
        ["lockedAsset"] = o.Side == Side.Buy ? q : b,
        ["sequence"] = o.Sequence,
        ["expiryHeight"] = o.ExpiryHeight,
    };
}
