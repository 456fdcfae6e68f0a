using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>
/// The markets module's methods, in the `market_` namespace (docs/rpc.md, docs/markets.md): markets,
/// one market, depth, one order, an account's open orders, a market's trades, the fee pools. A
/// market is named "BASE/QUOTE"; amounts are base-unit decimal strings.
/// </summary>
public sealed class MarketMethods(Blockchain chain)
{
    public const int DefaultDepthLevels = 20;
    public const int DefaultTrades = 100;

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
            return new JsonObject
            {
                ["market"] = MarketPairs.Name(b, q),
                ["height"] = chain.Head.Height,
                ["bids"] = Levels(queries.Depth(b, q, Side.Buy, levels)),
                ["asks"] = Levels(queries.Depth(b, q, Side.Sell, levels)),
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
            return new JsonArray(Queries.Trades(b, q, from, limit).Select(t => (JsonNode)Trade(t)).ToArray());
        });
        registry.Add("market_feeBurns", 1, (p, _) => new JsonArray(Queries.FeeBurns(p.Required(0, "epoch").GetUInt64()).Select(r => (JsonNode)new JsonObject
        {
            ["epoch"] = r.Epoch, ["asset"] = r.Asset, ["collected"] = ChainJson.Units(r.Collected), ["spent"] = ChainJson.Units(r.Spent),
            ["burned"] = ChainJson.Units(r.Burned), ["toOperations"] = ChainJson.Units(r.ToOperations), ["kept"] = ChainJson.Units(r.Kept),
        }).ToArray()));
        registry.Add("market_feePools", 0, (_, _) => new JsonArray(Queries.FeePools()
            .Select(f => (JsonNode)new JsonObject { ["asset"] = f.Asset, ["amount"] = ChainJson.Units(f.Amount) }).ToArray()));
    }

    private static (string Base, string Quote) Pair(RpcParams p, int index)
    {
        var text = p.String(index, "market");
        return MarketPairs.TryParse(text, out var b, out var q) ? (b, q) : throw new RpcException(RpcErrorCodes.InvalidParams, $"market must be \"BASE/QUOTE\", got \"{text}\"");
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

    private static JsonArray Levels(IReadOnlyList<DepthLevel> levels) => new(levels.Select(l => (JsonNode)new JsonObject
    {
        ["price"] = ChainJson.Units(l.Price), ["size"] = ChainJson.Units(l.Size), ["orders"] = l.Orders,
    }).ToArray());

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

    private static JsonObject Trade(TradeRecord t) => new()
    {
        ["id"] = t.Id,
        ["height"] = t.Height,
        ["buyer"] = t.Buyer.ToString(),
        ["seller"] = t.Seller.ToString(),
        ["buyOrderId"] = t.BuyOrderId,
        ["sellOrderId"] = t.SellOrderId,
        ["takerSide"] = t.TakerIsBuyer ? "buy" : "sell",
        ["price"] = ChainJson.Units(t.Price),
        ["baseAmount"] = ChainJson.Units(t.BaseAmount),
        ["quoteAmount"] = ChainJson.Units(t.QuoteAmount),
        ["buyerFee"] = ChainJson.Units(t.BuyerFee),
        ["sellerFee"] = ChainJson.Units(t.SellerFee),
    };
}
