using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// batch_orders (kind 25): up to <see cref="BatchOrdersPayload.MaxItems"/> places, cancels and
/// amends checked as one transaction. Each item goes through its own kind's checks and
/// reservation in item order, inside the transaction's one overlay, so a refused item refuses the
/// whole batch and nothing but the fee changes. The accepted items are queued one by one and take
/// their places in the block order at the block's end (cancels, post-only places, the rest).
/// </summary>
public sealed class BatchOrdersHandler : TxHandler<BatchOrdersPayload>
{
    protected override string? CheckStateless(BatchOrdersPayload p)
    {
        if (p.Items.Count == 0) return "a batch needs at least one item";
        if (p.Items.Count > BatchOrdersPayload.MaxItems) return $"a batch has at most {BatchOrdersPayload.MaxItems} items, this one {p.Items.Count}";
        for (var i = 0; i < p.Items.Count; i++)
        {
            if (!BatchOrdersPayload.IsItemKind(p.Items[i].Kind)) return $"batch item {i}: {p.Items[i].Name} cannot be batched";
            if (MarketActions.CheckStateless(p.Items[i]) is { } error) return $"batch item {i} ({p.Items[i].Name}): {error}";
        }
        // Two changes of one order in one batch would depend on the block order between them: refused.
        var changed = p.Items.Select(OrderChanged).Where(o => o is not null).ToList();
        if (changed.GroupBy(o => o).FirstOrDefault(g => g.Count() > 1) is { } twice) return $"batch changes order {twice.Key} more than once";
        var clientIds = p.Items.OfType<PlaceOrderPayload>().Where(o => o.ClientOrderId != 0).Select(o => (o.Base, o.Quote, o.ClientOrderId)).ToList();
        if (clientIds.GroupBy(o => o).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            return $"batch places two orders with client order id {duplicate.Key.ClientOrderId} on {MarketPairs.Name(duplicate.Key.Base, duplicate.Key.Quote)}";
        return null;
    }

    private static string? OrderChanged(TxPayload item) => item switch
    {
        CancelOrderPayload { OrderId: not 0 } c => $"{c.OrderId} on {MarketPairs.Name(c.Base, c.Quote)}",
        AmendOrderPayload a => $"{a.OrderId} on {MarketPairs.Name(a.Base, a.Quote)}",
        _ => null,
    };

    /// <summary>The items' declared spends together (sells' sizes, budget buys' budgets).</summary>
    protected override IReadOnlyList<AssetAmount> Spend(BatchOrdersPayload p) => [.. p.Items.SelectMany(MarketActions.Spend)];

    /// <summary>With state, priced buys count as well (see <see cref="PlaceOrderHandler"/>).</summary>
    protected override IReadOnlyList<AssetAmount> Spend(IStateReader state, BatchOrdersPayload p) => [.. p.Items.SelectMany(i => MarketActions.Spend(state, i))];

    protected override void Apply(TxContext c, BatchOrdersPayload p) => Run(c, c.Sender, p);

    internal static void Run(TxContext c, Address owner, BatchOrdersPayload p)
    {
        for (var i = 0; i < p.Items.Count; i++)
        {
            try
            {
                MarketActions.Run(c, owner, p.Items[i]);
            }
            catch (TransactionFailedException e)
            {
                throw new TransactionFailedException($"batch item {i} ({p.Items[i].Name}): {e.Message}");
            }
        }
    }
}
