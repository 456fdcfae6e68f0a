using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>delegate (kind 12): bonds EXT from the sender's balance to a validator.</summary>
public sealed class DelegateHandler(StakingParameters parameters) : StakingTxHandler<DelegatePayload>(parameters)
{
    protected override string? CheckStateless(DelegatePayload p) => p.Amount == 0 ? "delegation amount must be greater than zero" : null;

    protected override IReadOnlyList<AssetAmount> Spend(DelegatePayload p) => [new(AssetSymbol.Native, p.Amount)];

    protected override void Apply(TxContext c, DelegatePayload p)
    {
        Staking(c).Delegate(c.Sender, p.Validator, p.Amount);
        c.Emit(ChainEvent.Of(StakingModule.Events.Delegated, ("delegator", c.Sender.ToString()), ("validator", p.Validator.ToString()), ("amount", ChainEvent.Units(p.Amount))));
    }
}
