using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// cancel_order (kind 21): by order id, or (id 0) by client order id. At the transaction the order
/// must be open and the sender's; the cancel is queued and applied first at the block's end.
/// </summary>
public sealed class CancelOrderHandler : TxHandler<CancelOrderPayload>
{
    protected override string? CheckStateless(CancelOrderPayload p) =>
        MarketsHandlerChecks.Pair(p.Base, p.Quote) ?? (p.OrderId == 0 && p.ClientOrderId == 0 ? "cancel_order needs an order id or a client order id" : null);

    protected override IReadOnlyList<AssetAmount> Spend(CancelOrderPayload p) => [];

    protected override void Apply(TxContext c, CancelOrderPayload p) => Run(c, c.Sender, p);

    internal static void Run(TxContext c, Address owner, CancelOrderPayload p)
    {
        var markets = new MarketsState(c.State);
        var market = MarketsHandlerChecks.Listed(markets, p.Base, p.Quote);
        if (p.OrderId != 0)
        {
            var order = MarketsState.ReadOrder(c.State, p.Base, p.Quote, p.OrderId)
                ?? throw new TransactionFailedException($"order {p.OrderId} is not open on {market.Definition.Pair}");
            if (order.Account != owner) throw new TransactionFailedException($"order {p.OrderId} on {market.Definition.Pair} belongs to another account");
        }
        else if (!MarketsState.ReadOrdersOf(c.State, owner, p.Base, p.Quote).Any(o => o.Order.ClientOrderId == p.ClientOrderId))
        {
            throw new TransactionFailedException($"no open order with client order id {p.ClientOrderId} on {market.Definition.Pair}");
        }
        markets.Enqueue(owner, p, "", 0);
    }
}
