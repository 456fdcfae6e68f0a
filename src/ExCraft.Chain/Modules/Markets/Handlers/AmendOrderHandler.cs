using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// amend_order (kind 23). At the transaction: the market must exist and trade, the order must be
/// open and the sender's, the new price and size must pass the engine's checks (tick, lot, min
/// notional, size limits: a dry run of the same price and size on an empty book), and if the lock
/// grows the difference is reserved from the balance. At the block's end the engine applies it
/// with the other places and amends (after cancels and post-only places), where refusals that need
/// the book (amend_unchanged, post_only_would_cross, an order closed meanwhile) become events.
/// </summary>
public sealed class AmendOrderHandler : TxHandler<AmendOrderPayload>
{
    protected override string? CheckStateless(AmendOrderPayload p) =>
        MarketsHandlerChecks.Pair(p.Base, p.Quote) ?? (p.OrderId == 0 ? "amend_order needs an order id" : null);

    /// <summary>The growth of the lock depends on the order in state, so nothing is declared; a short balance fails at execution.</summary>
    protected override IReadOnlyList<AssetAmount> Spend(AmendOrderPayload p) => [];

    protected override void Apply(TxContext c, AmendOrderPayload p) => Run(c, c.Sender, p);

    internal static void Run(TxContext c, Address owner, AmendOrderPayload p)
    {
        var markets = new MarketsState(c.State);
        var market = MarketsHandlerChecks.Listed(markets, p.Base, p.Quote);
        if (market.Definition.Halted) throw new TransactionFailedException($"market {market.Definition.Pair} is halted");
        var order = MarketsState.ReadOrder(c.State, p.Base, p.Quote, p.OrderId)
            ?? throw new TransactionFailedException($"order {p.OrderId} is not open on {market.Definition.Pair}");
        if (order.Account != owner) throw new TransactionFailedException($"order {p.OrderId} on {market.Definition.Pair} belongs to another account");
        var lockAsset = order.Side == Side.Buy ? p.Quote : p.Base;
        var output = new MatchOutput();
        var book = new OrderBook(market.Rules);
        book.Place(OrderRequest.Limit(owner, order.Side, p.NewPrice, p.NewSize), c.Block.Height, UInt128.MaxValue, output);
        if (output.Events[0] is { Kind: OrderEventKind.Rejected } rejected)
            throw new TransactionFailedException($"amend refused: {MarketsText.Reason(rejected.Reason)}");
        var required = book.LockFor(order.Side, p.NewPrice, p.NewSize);
        var extra = required > order.Locked ? required - order.Locked : 0;
        if (c.Accounts.GetBalance(owner, lockAsset) < extra)
            throw new TransactionFailedException($"amend refused: insufficient_funds (needs {extra} more {lockAsset}, free {c.Accounts.GetBalance(owner, lockAsset)})");
        markets.Lock(c.Accounts, owner, lockAsset, extra);
        markets.Enqueue(owner, p, lockAsset, extra);
    }
}
