using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>cancel_all (kind 22): all of the sender's orders on one market, or (empty base and quote) on every market; queued, applied first at the block's end.</summary>
public sealed class CancelAllHandler : TxHandler<CancelAllPayload>
{
    protected override string? CheckStateless(CancelAllPayload p) => p.AllMarkets ? null : MarketsHandlerChecks.Pair(p.Base, p.Quote);

    protected override IReadOnlyList<AssetAmount> Spend(CancelAllPayload p) => [];

    protected override void Apply(TxContext c, CancelAllPayload p) => Run(c, c.Sender, p);

    internal static void Run(TxContext c, Address owner, CancelAllPayload p)
    {
        var markets = new MarketsState(c.State);
        if (!p.AllMarkets) MarketsHandlerChecks.Listed(markets, p.Base, p.Quote);
        markets.Enqueue(owner, p, "", 0);
    }
}
