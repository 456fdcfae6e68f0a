using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>halt_market (kind 32): the governance authority halts a market (places refused; cancels and expiries still work) or resumes it.</summary>
public sealed class HaltMarketHandler : TxHandler<HaltMarketPayload>
{
    protected override string? CheckStateless(HaltMarketPayload p) => MarketsHandlerChecks.Pair(p.Base, p.Quote);

    protected override IReadOnlyList<AssetAmount> Spend(HaltMarketPayload p) => [];

    protected override void Apply(TxContext c, HaltMarketPayload p)
    {
        MarketsHandlerChecks.Authority(c);
        var markets = new MarketsState(c.State);
        var market = MarketsHandlerChecks.Listed(markets, p.Base, p.Quote);
        if (market.Definition.Halted == p.Halted) throw new TransactionFailedException($"market {market.Definition.Pair} is already {(p.Halted ? "halted" : "active")}");
        markets.PutMarket(market with { Definition = market.Definition with { Halted = p.Halted } });
        c.Emit(ChainEvent.Of(MarketsModule.Events.Updated, ("market", market.Definition.Pair), ("halted", p.Halted ? "true" : "false")));
    }
}
