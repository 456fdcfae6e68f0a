using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// place_order (kind 20). At the transaction: the market must exist and trade; the order is checked
/// by the engine's own rules (a dry run on an empty book with the market's rules and the sender's
/// balance: tick, lot, min notional, size limits, expiry, funds) and refused with the engine's
/// reason; what it will lock is moved out of the balance and the order is queued. At the block's
/// end the module matches it in the documented order (<see cref="MarketsModule.EndBlock"/>).
/// </summary>
public sealed class PlaceOrderHandler : TxHandler<PlaceOrderPayload>
{
    protected override string? CheckStateless(PlaceOrderPayload p)
    {
        if (MarketsHandlerChecks.Pair(p.Base, p.Quote) is { } error) return error;
        if (p.Side > 1) return $"unknown side {p.Side} (0 buy, 1 sell)";
        if (p.Type > 1) return $"unknown order type {p.Type} (0 limit, 1 market)";
        if (p.TimeInForce > 3) return $"unknown time in force {p.TimeInForce} (0 gtc, 1 ioc, 2 fok, 3 post-only)";
        if (p.Type == 1 && p.TimeInForce != 1) return "a market order is immediate-or-cancel (time in force 1)";
        if (p.SelfTrade > 2) return $"unknown self-trade prevention {p.SelfTrade} (0 cancel resting, 1 cancel incoming, 2 cancel both)";
        if (p.QuoteBudget != 0 && (p.Type != 1 || p.Side != 0 || p.Size != 0 || p.Price != 0)) return "a quote budget is only for a market buy without size and price";
        return null;
    }

    /// <summary>
    /// Without state: a sell may lock its size of base, a budget buy its budget of quote. A priced
    /// buy locks price * size / the market's price scale of quote, which needs the market from
    /// state: declared by the state-reading overload below, which the mempool uses.
    /// </summary>
    protected override IReadOnlyList<AssetAmount> Spend(PlaceOrderPayload p) =>
        p.Side == 1 ? [new AssetAmount(p.Base, p.Size)] : p.QuoteBudget != 0 ? [new AssetAmount(p.Quote, p.QuoteBudget)] : [];

    /// <summary>
    /// With state, a priced buy declares its lock too: price * size / the market's price scale,
    /// which is fixed at listing, so the amount cannot change while the order waits in the mempool.
    /// Unknown market or an amount beyond 128 bits: nothing (execution refuses it).
    /// </summary>
    protected override IReadOnlyList<AssetAmount> Spend(IStateReader state, PlaceOrderPayload p)
    {
        if (p.Side == 1 || p.QuoteBudget != 0) return Spend(p);
        if (MarketsState.ReadMarket(state, p.Base, p.Quote) is not { } market) return [];
        try
        {
            return [new AssetAmount(p.Quote, QuoteMath.Quote(p.Price, p.Size, market.PriceScale))];
        }
        catch (OverflowException)
        {
            return [];
        }
    }

    protected override void Apply(TxContext c, PlaceOrderPayload p) => Run(c, c.Sender, p);

    /// <summary>Checks and reserves a place for <paramref name="owner"/> (the sender, or an agent's account) and queues it.</summary>
    internal static void Run(TxContext c, Address owner, PlaceOrderPayload p)
    {
        var markets = new MarketsState(c.State);
        var market = MarketsHandlerChecks.Listed(markets, p.Base, p.Quote);
        if (market.Definition.Halted) throw new TransactionFailedException($"market {market.Definition.Pair} is halted");
        if (market.Definition.Pool != 0 && !Pools.PoolsState.IsMember(c.State, market.Definition.Pool, owner)) // pool-scoped market (docs/pools.md)
            throw new TransactionFailedException($"market {market.Definition.Pair} is scoped to pool {market.Definition.Pool}: {owner} is not a member of it");
        if (p.ExpiryTimeMs != 0 && p.ExpiryTimeMs <= c.Block.TimeMs)
            throw new TransactionFailedException($"order refused: expired (expiry time {p.ExpiryTimeMs} ms is not after the block time {c.Block.TimeMs} ms)");
        var lockAsset = p.Side == 0 ? p.Quote : p.Base;
        var request = new OrderRequest(owner, (Side)p.Side, (OrderType)p.Type, (TimeInForce)p.TimeInForce, p.Price, p.Size, p.QuoteBudget,
            p.ClientOrderId, p.ExpiryHeight, (SelfTradePrevention)p.SelfTrade);
        // The engine's checks, run where they cannot trade: an empty book with this market's rules.
        // A fill-or-kill is refused there (an empty book cannot fill it) only after every other check, funds included,
        // and with its lock already computed: at the block's end it meets the real book.
        var reason = OrderBook.CheckOnEmptyBook(market.Rules, request, c.Block.Height, c.Accounts.GetBalance(owner, lockAsset), out var preLock);
        if (reason is not (OrderReason.None or OrderReason.FillOrKillNotFillable))
            throw new TransactionFailedException($"order refused: {MarketsText.Reason(reason)}{Detail(reason, c, owner, lockAsset)}");
        markets.Lock(c.Accounts, owner, lockAsset, preLock);
        markets.Enqueue(owner, p, lockAsset, preLock);
        c.Emit(new ChainEvent(MarketsModule.Events.OrderQueued, new OrderQueuedDetail(market.Definition.Pair, owner, p.ClientOrderId, lockAsset, preLock)));
    }

    private static string Detail(OrderReason reason, TxContext c, Address owner, string lockAsset) =>
        reason == OrderReason.InsufficientFunds ? $" (free {lockAsset} balance {c.Accounts.GetBalance(owner, lockAsset)})" : "";
}
