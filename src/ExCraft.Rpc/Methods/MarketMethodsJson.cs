using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.MarketData;

namespace ExCraft.Rpc.Methods;

/// <summary>The JSON shapes of market data (docs/rpc.md "Market methods", docs/market-data.md), shared by the methods and the WebSocket streams.</summary>
public static class MarketMethodsJson
{
    public static JsonArray Levels(IEnumerable<DepthLevel> levels) => new(levels.Select(l => (JsonNode)new JsonObject
    {
        ["price"] = ChainJson.Units(l.Price), ["size"] = ChainJson.Units(l.Size), ["orders"] = l.Orders,
    }).ToArray());

    /// <summary>A book snapshot: at most <paramref name="levels"/> levels a side; the checksum always covers the top 25.</summary>
    public static JsonObject Book(MarketBook book, int levels) => new()
    {
        ["type"] = "snapshot",
        ["market"] = book.Market,
        ["sequence"] = book.Sequence,
        ["height"] = book.Height,
        ["checksum"] = book.Checksum,
        ["bids"] = Levels(book.Bids.Take(levels)),
        ["asks"] = Levels(book.Asks.Take(levels)),
    };

    public static JsonObject Delta(BookDelta delta) => new()
    {
        ["type"] = "delta",
        ["market"] = delta.Book.Market,
        ["sequence"] = delta.Book.Sequence,
        ["previousSequence"] = delta.Book.Sequence - 1,
        ["height"] = delta.Book.Height,
        ["checksum"] = delta.Book.Checksum,
        ["bids"] = Changes(delta.Changes, Side.Buy),
        ["asks"] = Changes(delta.Changes, Side.Sell),
    };

    private static JsonArray Changes(IReadOnlyList<LevelChange> changes, Side side) => new(changes.Where(c => c.Side == side).Select(c => (JsonNode)new JsonObject
    {
        ["price"] = ChainJson.Units(c.Price), ["size"] = ChainJson.Units(c.Size), ["orders"] = c.Orders,
    }).ToArray());

    public static JsonObject Trade(TradeRecord t) => new()
    {
        ["id"] = t.Id,
        ["height"] = t.Height,
        ["buyer"] = AddressTextCache.TextOf(t.Buyer),
        ["seller"] = AddressTextCache.TextOf(t.Seller),
        ["buyOrderId"] = t.BuyOrderId,
        ["sellOrderId"] = t.SellOrderId,
        ["takerSide"] = t.TakerIsBuyer ? "buy" : "sell",
        ["price"] = ChainJson.Units(t.Price),
        ["baseAmount"] = ChainJson.Units(t.BaseAmount),
        ["quoteAmount"] = ChainJson.Units(t.QuoteAmount),
        ["buyerFee"] = ChainJson.Units(t.BuyerFee),
        ["sellerFee"] = ChainJson.Units(t.SellerFee),
    };

    public static JsonObject Trade(IndexedTrade t)
    {
        var json = Trade(t.Trade);
        json["market"] = t.Market;
        json["timeMs"] = t.TimeMs;
        return json;
    }

    /// <summary>
    /// A block's trades message of the trades stream, written straight to the socket's buffer:
    /// the same JSON as {"type":"trades","market","height","timeMs","trades":[<see cref="Trade(IndexedTrade)"/>...]}
    /// (pinned by a test), without building a document of thousands of trades on the commit thread.
    /// </summary>
    public static void WriteTrades(Utf8JsonWriter w, string market, ulong height, ulong timeMs, IEnumerable<IndexedTrade> trades)
    {
        w.WriteStartObject();
        w.WriteString("type", "trades");
        w.WriteString("market", market);
        w.WriteNumber("height", height);
        w.WriteNumber("timeMs", timeMs);
        w.WriteStartArray("trades");
        foreach (var indexed in trades)
        {
            var t = indexed.Trade;
            w.WriteStartObject();
            w.WriteNumber("id", t.Id);
            w.WriteNumber("height", t.Height);
            w.WriteString("buyer", AddressTextCache.TextOf(t.Buyer));
            w.WriteString("seller", AddressTextCache.TextOf(t.Seller));
            w.WriteNumber("buyOrderId", t.BuyOrderId);
            w.WriteNumber("sellOrderId", t.SellOrderId);
            w.WriteString("takerSide", t.TakerIsBuyer ? "buy" : "sell");
            w.WriteString("price", ChainJson.Units(t.Price));
            w.WriteString("baseAmount", ChainJson.Units(t.BaseAmount));
            w.WriteString("quoteAmount", ChainJson.Units(t.QuoteAmount));
            w.WriteString("buyerFee", ChainJson.Units(t.BuyerFee));
            w.WriteString("sellerFee", ChainJson.Units(t.SellerFee));
            w.WriteString("market", indexed.Market);
            w.WriteNumber("timeMs", indexed.TimeMs);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static JsonObject Candle(string market, CandleInterval interval, Candle c) => new()
    {
        ["market"] = market,
        ["interval"] = interval.Name,
        ["openTimeMs"] = c.OpenTimeMs,
        ["closeTimeMs"] = c.OpenTimeMs + interval.Milliseconds - 1,
        ["open"] = ChainJson.Units(c.Open),
        ["high"] = ChainJson.Units(c.High),
        ["low"] = ChainJson.Units(c.Low),
        ["close"] = ChainJson.Units(c.Close),
        ["volume"] = ChainJson.Units(c.Volume),
        ["quoteVolume"] = ChainJson.Units(c.QuoteVolume),
        ["trades"] = c.Trades,
        ["firstTradeId"] = c.FirstTradeId,
        ["lastTradeId"] = c.LastTradeId,
    };

    public static JsonObject Ticker(MarketTicker t) => new()
    {
        ["market"] = t.Market,
        ["height"] = t.Height,
        ["timeMs"] = t.TimeMs,
        ["windowStartMs"] = t.WindowStartMs,
        ["last"] = Optional(t.Last),
        ["open"] = Optional(t.Open),
        ["high"] = Optional(t.High),
        ["low"] = Optional(t.Low),
        ["change"] = t.Change.ToString(CultureInfo.InvariantCulture),
        ["changePpm"] = t.ChangePpm.ToString(CultureInfo.InvariantCulture),
        ["volume"] = ChainJson.Units(t.Volume),
        ["quoteVolume"] = ChainJson.Units(t.QuoteVolume),
        ["trades"] = t.Trades,
    };

    public static JsonObject HistoryOrder(OrderHistoryEntry o) => new()
    {
        ["market"] = o.Market,
        ["id"] = o.OrderId,
        ["account"] = o.Account.ToString(),
        ["clientOrderId"] = o.ClientOrderId,
        ["side"] = MarketsText.Side(o.Side),
        ["price"] = ChainJson.Units(o.Price),
        ["size"] = ChainJson.Units(o.Size),
        ["filled"] = ChainJson.Units(o.Filled),
        ["remaining"] = ChainJson.Units(o.Remaining),
        ["status"] = o.Status,
        ["reason"] = o.Reason,
        ["openedHeight"] = o.OpenedHeight,
        ["closedHeight"] = o.Closed ? o.ClosedHeight : null,
        ["closedTimeMs"] = o.Closed ? o.ClosedTimeMs : null,
    };

    private static JsonNode? Optional(UInt128? value) => value is { } v ? ChainJson.Units(v) : null;

    /// <summary>An optional non-negative integer parameter (JSON number), with a message naming it.</summary>
    public static ulong? OptionalULong(RpcParams p, int index, string name)
    {
        if (p.Optional(index) is not { } value) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var n) ? n
            : throw new RpcException(RpcErrorCodes.InvalidParams, $"parameter {index} ({name}) must be a non-negative integer");
    }
}
