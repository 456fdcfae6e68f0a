using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>list_market (kind 30): the governance authority lists a new market between two existing assets.</summary>
public sealed class ListMarketHandler : TxHandler<ListMarketPayload>
{
    protected override string? CheckStateless(ListMarketPayload p) => p.Market.Check();

    protected override IReadOnlyList<AssetAmount> Spend(ListMarketPayload p) => [];

    protected override void Apply(TxContext c, ListMarketPayload p)
    {
        MarketsHandlerChecks.Authority(c);
        var markets = new MarketsState(c.State);
        var listed = MarketsModule.List(markets, c.Accounts, p.Market);
        c.Emit(ChainEvent.Of(MarketsModule.Events.Listed, ("market", listed.Definition.Pair), ("priceScale", ChainEvent.Units(listed.PriceScale))));
    }
}
