using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools.Handlers;

/// <summary>leave_pool (kind 53): the sender leaves its pool at once; its PoE of this epoch stays with that pool, and counts for none from the next epoch.</summary>
public sealed class LeavePoolHandler : TxHandler<LeavePoolPayload>
{
    protected override IReadOnlyList<AssetAmount> Spend(LeavePoolPayload p) => [];

    protected override void Apply(TxContext c, LeavePoolPayload p)
    {
        if (PoolsState.ReadMembership(c.State, c.Sender) is not { Pool: not 0 }) throw new TransactionFailedException($"{c.Sender} is not a member of any pool");
        var left = PoolsState.Switch(c.State, c.Sender, 0, c.Block.Epoch);
        c.Emit(ChainEvent.Of(PoolsModule.Events.Left, ("pool", PoolsModule.Text(left)), ("account", c.Sender.ToString()),
            ("fromEpoch", PoolsModule.Text(c.Block.Epoch + 1))));
    }
}
