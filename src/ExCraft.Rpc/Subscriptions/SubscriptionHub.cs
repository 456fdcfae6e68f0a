using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.MarketData;
using ExCraft.Rpc.Methods;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// Fans committed blocks out to WebSocket subscribers: new heads, events touching an account, and
/// swap offer changes (which need the chain: the offer is read back, and expiries are block events),
/// and the market streams of the market-data index (SubscriptionHub.Markets.cs).
/// </summary>
public sealed partial class SubscriptionHub(Blockchain? chain = null)
{
    private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();
    private long _nextId;

    public int SessionCount => _sessions.Count;

    private long _dropped;

    /// <summary>Connections dropped (with a resync notice) because they fell behind, since the node started.</summary>
    public long DroppedSessions => Interlocked.Read(ref _dropped);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    public void Attach(WebSocketSession session)
    {
        session.OnDropped = CountDropped;
        _sessions.TryAdd(session, 0);
    }

    public void Detach(WebSocketSession session) => _sessions.TryRemove(session, out _);

    public JsonNode Subscribe(RpcParams p, WebSocketSession session)
    {
        var kind = p.String(0, "subscription kind");
        var id = NextId();
        return kind switch
        {
            Subscription.NewHeads => session.AddSubscription(kind, null, id),
            Subscription.AccountEvents => session.AddSubscription(kind, p.Address(1, "account"), id),
            Subscription.SwapOffers when chain is not null => session.AddSubscription(kind, null, id, p.Optional(1) is null ? null : p.Hash(1, "offer id")),
            Subscription.SwapProgress when chain is not null => SubscribeSwapProgress(p, session),
            _ => throw new RpcException(RpcErrorCodes.InvalidParams, $"unknown subscription kind \"{RpcText.Echo(kind)}\"; use \"newHeads\", \"accountEvents\", \"swapOffers\" or \"swapProgress\""),
        };
    }

    private string NextId() => "0x" + Interlocked.Increment(ref _nextId).ToString("x", CultureInfo.InvariantCulture);

    public void OnCommitted(Block block, IReadOnlyList<Receipt> receipts)
    {
        if (_sessions.IsEmpty) return;
        JsonObject? header = null;
        Dictionary<Address, List<Receipt>>? byAccount = null;
        IReadOnlyList<SwapOfferNotice>? offerChanges = null;
        IReadOnlyList<SwapProgressNotice>? swapChanges = null;
        foreach (var session in _sessions.Keys)
        {
            foreach (var subscription in session.Subscriptions)
            {
                if (subscription.Kind == Subscription.NewHeads)
                {
                    header ??= ChainJson.Header(block.Header);
                    header["transactionCount"] = block.Transactions.Count;
                    session.Notify(subscription.Id, header.DeepClone());
                }
                else if (subscription.Kind == Subscription.SwapOffers)
                {
                    offerChanges ??= SwapOfferNotice.Of(chain!, block, receipts);
                    foreach (var change in offerChanges)
                    {
                        if (subscription.OfferId is null || change.OfferId.AsSpan().SequenceEqual(subscription.OfferId)) session.Notify(subscription.Id, change.Json.DeepClone());
                    }
                }
                else if (subscription.Kind == Subscription.SwapProgress)
                {
                    swapChanges ??= SwapProgressChanges(block, receipts);
                    if (swapChanges.Count > 0) NotifySwapProgress(session, subscription, block, swapChanges);
                }
                else if (subscription.Kind == Subscription.AccountEvents && subscription.Account is { } account)
                {
                    byAccount ??= GroupByAccount(receipts);
                    foreach (var receipt in byAccount.GetValueOrDefault(account) ?? []) session.Notify(subscription.Id, ChainJson.Receipt(receipt));
                }
            }
        }
    }

    private static Dictionary<Address, List<Receipt>> GroupByAccount(IReadOnlyList<Receipt> receipts)
    {
        var result = new Dictionary<Address, List<Receipt>>();
        foreach (var receipt in receipts)
        {
            foreach (var account in receipt.AccountsTouched())
            {
                if (!result.TryGetValue(account, out var list)) result[account] = list = [];
                list.Add(receipt);
            }
        }
        return result;
    }
}
