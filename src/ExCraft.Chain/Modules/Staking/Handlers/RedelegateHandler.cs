using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>redelegate (kind 14): moves bonded stake from one validator to another at once.</summary>
public sealed class RedelegateHandler(StakingParameters parameters) : StakingTxHandler<RedelegatePayload>(parameters)
{
    protected override string? CheckStateless(RedelegatePayload p)
    {
        if (p.From == p.To) return "redelegation needs two different validators";
        return p.Amount == 0 ? "redelegation amount must be greater than zero" : null;
    }

    protected override IReadOnlyList<AssetAmount> Spend(RedelegatePayload p) => [];

    protected override void Apply(TxContext c, RedelegatePayload p)
    {
        var staking = Staking(c);
        staking.Unbond(c.Sender, p.From, p.Amount);
        staking.Delegate(c.Sender, p.To, p.Amount, fromBalance: false);
        c.Emit(ChainEvent.Of(StakingModule.Events.Redelegated, ("delegator", c.Sender.ToString()), ("from", p.From.ToString()), ("to", p.To.ToString()), ("amount", ChainEvent.Units(p.Amount))));
    }
}
