using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;

namespace ExCraft.Cli;

/// <summary>
/// With --wait, what happened to an order transaction in its block. Order transactions are checked
/// when they execute but matched at the block's end, so the receipt only says the transaction
/// succeeded; the order's id, fills and a matching-time rejection (post-only that would cross,
/// fill-or-kill not fillable, ...) are in the block's market_order and market_trade events
/// (ext_getBlockEvents). A rejection there is reported as a failure (exit code 3).
/// </summary>
public static class OrderOutcome
{
    private const string OrderEvent = "market_order";
    private const string TradeEvent = "market_trade";

    /// <summary>
    /// The follow-up for a place or amend: the sender's market_order events on the market that
    /// <paramref name="mine"/> accepts (by client order id or order id). Without a way to tell the
    /// sender's orders of the block apart, it says so instead of guessing.
    /// </summary>
    public static TransactionSender.ReceiptFollowUp ForOrder(MarketInfo market, Func<JsonObject, bool>? mine) => async (receipt, sender, node) =>
    {
        var height = receipt.UInt64("blockHeight");
        var events = await node.BlockEventsAsync(height);
        var orders = OrderEvents(events, market.Pair, sender).Where(a => mine?.Invoke(a) ?? true).ToList();
        var ids = orders.Select(a => a.String("orderId")).Distinct().ToList();
        if (ids.Count != 1)
        {
            var why = ids.Count == 0 ? "no order event" : $"{ids.Count} orders of this account";
            return new([new("order", null, "order", $"{why} on {market.Pair} in block {height}: see 'excraft order list' and 'excraft trades'")], null);
        }

        var last = orders[^1];
        var id = ulong.Parse(last.String("orderId"), CultureInfo.InvariantCulture);
        var change = last.String("change");
        var reason = last.OptionalString("reason") is { Length: > 0 } r ? r : null;
        var trades = TradeEvents(events, market.Pair).Where(t => t.String("buyOrderId") == last.String("orderId") || t.String("sellOrderId") == last.String("orderId")).ToList();
        var filled = trades.Aggregate(UInt128.Zero, (sum, t) => sum + Units(t, "baseAmount"));
        var json = new JsonObject
        {
            ["id"] = id,
            ["height"] = height,
            ["status"] = change,
            ["reason"] = reason,
            ["remaining"] = last.OptionalString("remaining"),
            ["filled"] = filled.ToString(CultureInfo.InvariantCulture),
            ["trades"] = new JsonArray(trades.Select(t => (JsonNode)ulong.Parse(t.String("tradeId"), CultureInfo.InvariantCulture)).ToArray()),
        };
        var details = new List<TransactionSender.ReceiptDetail>
        {
            new("order", json, "order", id == 0 ? "none (rejected before it got an id)" : id.ToString(CultureInfo.InvariantCulture)),
            new("", null, "order status", reason is null ? change : $"{change} ({reason})"),
        };
        if (last.OptionalString("remaining") is { } remaining && change != "rejected")
            details.Add(new("", null, "remaining", $"{market.FormatBase(Units(last, "remaining"))} {market.Base}"));
        details.Add(new("", null, "filled", $"{market.FormatBase(filled)} {market.Base} in {trades.Count} trade(s)"));
        return new(details,
            change == "rejected" ? $"order rejected at matching in block {height}: {reason ?? "no reason given"}" : null);
    };

    /// <summary>
    /// The follow-up for a cancel or cancel-all: which of the sender's orders were cancelled and what
    /// returned to the balance; a matching-time rejection (the order was closed meanwhile) fails.
    /// </summary>
    public static TransactionSender.ReceiptFollowUp ForCancel(MarketInfo? market, Func<JsonObject, bool>? mine) => async (receipt, sender, node) =>
    {
        var height = receipt.UInt64("blockHeight");
        var events = (await node.BlockEventsAsync(height)).OfType<JsonObject>()
            .Where(e => e.OptionalString("type") == OrderEvent).Select(Attributes)
            .Where(a => a.OptionalString("account") == sender.ToString() && (market is null || a.OptionalString("market") == market.Pair))
            .Where(a => a.OptionalString("change") is "cancelled" or "rejected" && (mine?.Invoke(a) ?? true)).ToList();
        var cancelled = events.Where(a => a.String("change") == "cancelled").ToList();
        var json = new JsonArray(cancelled.Select(a => (JsonNode)new JsonObject
        {
            ["market"] = a.String("market"), ["id"] = ulong.Parse(a.String("orderId"), CultureInfo.InvariantCulture),
            ["side"] = a.OptionalString("side"), ["released"] = a.OptionalString("released"),
        }).ToArray());
        var text = cancelled.Count == 0 ? "none" : string.Join(", ", cancelled.Select(a => $"{a.String("market")} #{a.String("orderId")}"));
        var rejected = events.FirstOrDefault(a => a.String("change") == "rejected");
        return new([new("cancelled", json, "cancelled", text)],
            rejected is not null ? $"cancel rejected at matching in block {height}: {rejected.OptionalString("reason") ?? "no reason given"}" : null);
    };

    private static IEnumerable<JsonObject> OrderEvents(JsonArray events, string pair, Address sender) =>
        events.OfType<JsonObject>().Where(e => e.OptionalString("type") == OrderEvent).Select(Attributes)
            .Where(a => a.OptionalString("market") == pair && a.OptionalString("account") == sender.ToString());

    private static IEnumerable<JsonObject> TradeEvents(JsonArray events, string pair) =>
        events.OfType<JsonObject>().Where(e => e.OptionalString("type") == TradeEvent).Select(Attributes).Where(a => a.OptionalString("market") == pair);

    private static JsonObject Attributes(JsonObject e) => e["attributes"] as JsonObject ?? [];

    private static UInt128 Units(JsonObject attributes, string name) =>
        UInt128.TryParse(attributes.OptionalString(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
