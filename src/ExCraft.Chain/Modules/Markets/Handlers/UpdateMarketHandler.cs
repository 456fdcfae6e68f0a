using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// update_market (kind 31): the governance authority changes a market's min notional, fee rates and
/// status. Mode cannot change; tick and lot only while the book is empty (resting orders must stay on tick and lot).
/// </summary>
public sealed class UpdateMarketHandler : TxHandler<UpdateMarketPayload>
{
    protected override string? CheckStateless(UpdateMarketPayload p) => p.Market.Check();

    protected override IReadOnlyList<AssetAmount> Spend(UpdateMarketPayload p) => [];

    protected override void Apply(TxContext c, UpdateMarketPayload p)
    {
        MarketsHandlerChecks.Authority(c);
        var markets = new MarketsState(c.State);
        var market = MarketsHandlerChecks.Listed(markets, p.Market.Base, p.Market.Quote);
        if (p.Market.Mode != market.Definition.Mode) throw new TransactionFailedException($"market {market.Definition.Pair}: the mode cannot change");
        var gridChanges = p.Market.TickSize != market.Definition.TickSize || p.Market.LotSize != market.Definition.LotSize;
        if (gridChanges && (MarketsState.ReadSide(c.State, market.Base, market.Quote, true).Any() || MarketsState.ReadSide(c.State, market.Base, market.Quote, false).Any()))
            throw new TransactionFailedException($"market {market.Definition.Pair}: tick and lot size can change only while no order rests");
        markets.PutMarket(market with { Definition = p.Market });
        c.Emit(ChainEvent.Of(MarketsModule.Events.Updated, ("market", market.Definition.Pair), ("halted", p.Market.Halted ? "true" : "false")));
    }
}
