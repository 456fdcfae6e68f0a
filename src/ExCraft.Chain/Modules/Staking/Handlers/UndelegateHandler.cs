using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>undelegate (kind 13): starts unbonding; the EXT returns to the balance after the unbonding period.</summary>
public sealed class UndelegateHandler(StakingParameters parameters) : StakingTxHandler<UndelegatePayload>(parameters)
{
    protected override string? CheckStateless(UndelegatePayload p) => p.Amount == 0 ? "undelegation amount must be greater than zero" : null;

    protected override IReadOnlyList<AssetAmount> Spend(UndelegatePayload p) => [];

    protected override void Apply(TxContext c, UndelegatePayload p)
    {
        var staking = Staking(c);
        staking.Unbond(c.Sender, p.Validator, p.Amount);
        var completion = c.Block.TimeMs + Parameters.UnbondingPeriodMs;
        staking.AddUnbonding(c.Sender, p.Validator, p.Amount, completion);
        c.Emit(ChainEvent.Of(StakingModule.Events.UnbondingStarted, ("delegator", c.Sender.ToString()), ("validator", p.Validator.ToString()),
            ("amount", ChainEvent.Units(p.Amount)), ("completion_ms", completion.ToString(CultureInfo.InvariantCulture))));
    }
}
