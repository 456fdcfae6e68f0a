using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.MarketData;
using ExCraft.Rpc.Methods;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// The market streams (market_subscribe, docs/market-data.md): a market's book (snapshot, then a
/// delta per sequence), trades, candles of one interval, an account's order updates (with reject
/// reasons) and balance changes. Updates are queued from the index's Updated event, under its
/// lock; a stream is activated under the same lock after the subscribe response is queued, so its
/// first message comes after the response and every delta after its snapshot.
/// </summary>
public sealed partial class SubscriptionHub
{
    private MarketDataIndex? _marketData;

    /// <summary>Serves the market streams from the index; the balances stream reads the hub's own chain (the constructor's), so the hub needs one.</summary>
    public void AttachMarketData(MarketDataIndex index)
    {
        if (chain is null) throw new InvalidOperationException("market streams need the hub to be built with the chain");
        _marketData = index;
        index.Updated += OnMarketData;
    }

    /// <summary>market_subscribe(kind, market or account, interval): "book" | "trades" market, "candles" market interval, "orders" | "balances" account.</summary>
    public JsonNode SubscribeMarket(RpcParams p, WebSocketSession session, Func<RpcParams, int, string> listedMarket)
    {
        var index = _marketData ?? throw new RpcException(RpcErrorCodes.InvalidRequest, "this node serves no market data");
        var kind = p.String(0, "stream kind");
        var stream = kind switch
        {
            MarketStream.Book or MarketStream.Trades => new MarketStream(kind, listedMarket(p, 1), null, null),
            MarketStream.Candles => new MarketStream(kind, listedMarket(p, 1), null, MarketMethods.Interval(p, 2)),
            MarketStream.Orders or MarketStream.Balances => new MarketStream(kind, null, p.Address(1, "account"), null),
            _ => throw new RpcException(RpcErrorCodes.InvalidParams, $"parameter 0 (stream kind) must be one of {string.Join(", ", MarketStream.Kinds)}; got \"{RpcText.Echo(kind)}\""),
        };
        if (kind != MarketStream.Candles && p.Optional(2) is not null) throw new RpcException(RpcErrorCodes.InvalidParams, $"parameter 2 (interval) is only for \"candles\"");
        var id = session.AddSubscription(new Subscription(NextId(), "market_" + kind, stream.Account, Market: stream));
        session.AfterResponse(() => index.Exclusive(() => Activate(session, id, stream)));
        return id;
    }

    private void Activate(WebSocketSession session, string id, MarketStream stream)
    {
        if (!session.Has(id)) return;
        if (stream.Kind == MarketStream.Book) session.Notify(id, MarketMethodsJson.Book(_marketData!.Book(stream.Market!), int.MaxValue));
        if (stream.Kind == MarketStream.Balances) session.Notify(id, Balances(stream, _marketData!.Head.Height, snapshot: true)!);
        stream.Active = true;
    }

    private void OnMarketData(MarketDataUpdate update)
    {
        if (_sessions.IsEmpty) return;
        HashSet<Address>? touched = null;
        ILookup<string, IndexedTrade>? tradesByMarket = null; // once per block, not per subscriber
        foreach (var session in _sessions.Keys)
        {
            foreach (var subscription in session.Subscriptions)
            {
                if (subscription.Market is not { Active: true } stream) continue;
                switch (stream.Kind)
                {
                    case MarketStream.Book:
                        foreach (var delta in update.Books.Where(d => d.Book.Market == stream.Market)) session.Notify(subscription.Id, MarketMethodsJson.Delta(delta));
                        break;
                    case MarketStream.Trades:
                        tradesByMarket ??= update.Trades.ToLookup(t => t.Market, StringComparer.Ordinal);
                        var trades = tradesByMarket[stream.Market!];
                        if (tradesByMarket.Contains(stream.Market!))
                            session.Notify(subscription.Id, w => MarketMethodsJson.WriteTrades(w, stream.Market!, update.Height, update.TimeMs, trades));
                        break;
                    case MarketStream.Candles:
                        foreach (var c in update.Candles.Where(c => c.Market == stream.Market && c.Interval == stream.Interval))
                            session.Notify(subscription.Id, MarketMethodsJson.Candle(c.Market, c.Interval, c.Candle));
                        break;
                    case MarketStream.Orders:
                        var account = stream.Account!.Value.ToString();
                        foreach (var e in update.OrderEvents.Where(e => e.Get("account") == account)) session.Notify(subscription.Id, OrderUpdate(update, e));
                        foreach (var (receipt, tx) in update.FailedMarketTransactions().Where(f => f.Receipt.Sender == stream.Account))
                            session.Notify(subscription.Id, new JsonObject
                            {
                                ["type"] = "transaction_failed", ["height"] = update.Height, ["timeMs"] = update.TimeMs, ["transactionHash"] = Core.Encoding.Hex.Encode(receipt.TransactionHash),
                                ["kind"] = ChainJson.KindName(tx.Kind), ["reason"] = receipt.Error,
                            });
                        break;
                    case MarketStream.Balances:
                        touched ??= AccountBalanceTracker.TouchedAccounts(update);
                        if (touched.Contains(stream.Account!.Value) && Balances(stream, update.Height, snapshot: false) is { } changes) session.Notify(subscription.Id, changes);
                        break;
                }
            }
        }
    }

    private static JsonObject OrderUpdate(MarketDataUpdate update, Chain.Execution.ChainEvent e)
    {
        var json = new JsonObject { ["type"] = "order", ["height"] = update.Height, ["timeMs"] = update.TimeMs };
        foreach (var (key, value) in e.Attributes) json[key] = key is "orderId" or "clientOrderId" && ulong.TryParse(value, out var n) ? n : value;
        return json;
    }

    /// <summary>The account's balances (snapshot) or those that changed since the last message (null: none did).</summary>
    private JsonObject? Balances(MarketStream stream, ulong height, bool snapshot)
    {
        var tracker = stream.BalanceTracker!;
        var state = chain!.State; // AttachMarketData made sure there is one
        var changed = snapshot ? tracker.Snapshot(state) : tracker.Changes(state);
        if (changed.Count == 0 && !snapshot) return null;
        return new JsonObject
        {
            ["type"] = snapshot ? "snapshot" : "changes",
            ["account"] = tracker.Account.ToString(),
            ["height"] = height,
            ["balances"] = new JsonArray(changed.Select(b => (JsonNode)new JsonObject
            {
                ["asset"] = b.Asset, ["balance"] = ChainJson.Units(b.Balance), ["locked"] = ChainJson.Units(b.Locked),
            }).ToArray()),
        };
    }
}
