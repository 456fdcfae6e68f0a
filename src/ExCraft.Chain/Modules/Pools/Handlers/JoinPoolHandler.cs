using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools.Handlers;

/// <summary>join_pool (kind 52): the sender becomes a member of a live pool at once (it leaves its current pool); its PoE counts for the new pool from the next epoch.</summary>
public sealed class JoinPoolHandler : TxHandler<JoinPoolPayload>
{
    protected override string? CheckStateless(JoinPoolPayload p) => PoolHandlerChecks.PoolId(p.Pool);

    protected override IReadOnlyList<AssetAmount> Spend(JoinPoolPayload p) => [];

    protected override void Apply(TxContext c, JoinPoolPayload p)
    {
        PoolHandlerChecks.Live(c, p.Pool);
        if (PoolsState.IsMember(c.State, p.Pool, c.Sender)) throw new TransactionFailedException($"{c.Sender} is already a member of pool {p.Pool}");
        var left = PoolsState.Switch(c.State, c.Sender, p.Pool, c.Block.Epoch);
        c.Emit(ChainEvent.Of(PoolsModule.Events.Joined, ("pool", PoolsModule.Text(p.Pool)), ("account", c.Sender.ToString()),
            ("left", PoolsModule.Text(left)), ("fromEpoch", PoolsModule.Text(c.Block.Epoch + 1))));
    }
}
