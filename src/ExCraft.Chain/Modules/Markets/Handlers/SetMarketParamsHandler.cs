using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>
/// set_market_params (kind 33): the governance authority changes the fee burn share and the
/// buyback slippage. A burn share below 80% (or above 100%) or a slippage above 50% is refused
/// before anything changes; the next epoch end uses the new values.
/// </summary>
public sealed class SetMarketParamsHandler : TxHandler<SetMarketParamsPayload>
{
    protected override string? CheckStateless(SetMarketParamsPayload p) => p.Parameters.Check();

    protected override IReadOnlyList<AssetAmount> Spend(SetMarketParamsPayload p) => [];

    protected override void Apply(TxContext c, SetMarketParamsPayload p)
    {
        MarketsHandlerChecks.Authority(c);
        if (p.Parameters.Check() is { } error) throw new TransactionFailedException(error);
        MarketParams.Write(c.State, p.Parameters);
        c.Emit(ChainEvent.Of(MarketsModule.Events.ParamsSet, ("feeBurnPpm", p.FeeBurnPpm.ToString()), ("buybackSlippagePpm", p.BuybackSlippagePpm.ToString())));
    }
}
