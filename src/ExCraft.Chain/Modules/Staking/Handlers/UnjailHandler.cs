using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Staking.Handlers;

/// <summary>unjail (kind 15): returns the sender's validator from jail once its jail time is over (never after double-signing).</summary>
public sealed class UnjailHandler(StakingParameters parameters) : StakingTxHandler<UnjailPayload>(parameters)
{
    protected override IReadOnlyList<AssetAmount> Spend(UnjailPayload p) => [];

    protected override void Apply(TxContext c, UnjailPayload p)
    {
        var staking = Staking(c);
        var jailed = staking.GetValidator(c.Sender) ?? throw new TransactionFailedException($"{c.Sender} is not a validator");
        if (!jailed.Jailed) throw new TransactionFailedException($"validator {c.Sender} is not jailed");
        if (jailed.Tombstoned) throw new TransactionFailedException($"validator {c.Sender} double-signed and is jailed for good");
        if (c.Block.TimeMs < jailed.JailedUntilMs) throw new TransactionFailedException($"validator {c.Sender} is jailed until {jailed.JailedUntilMs} ms, now {c.Block.TimeMs}");
        staking.PutValidator(jailed with { Jailed = false, JailedUntilMs = 0 });
        c.Emit(ChainEvent.Of(StakingModule.Events.Unjailed, ("operator", c.Sender.ToString())));
    }
}
