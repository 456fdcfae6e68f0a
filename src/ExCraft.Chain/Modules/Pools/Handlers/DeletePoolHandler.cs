using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools.Handlers;

/// <summary>
/// delete_pool (kind 54): the master deletes its pool. Every member is evicted (MoveTo 0) or moved
/// into live pool MoveTo, counting from the next epoch (this epoch's PoE stays with the deleted
/// pool, which is still tallied and can still be paid for this epoch). Joins are refused from now
/// on, the name is free again, and the stake returns to the master at the end of the next epoch.
/// </summary>
public sealed class DeletePoolHandler : TxHandler<DeletePoolPayload>
{
    protected override string? CheckStateless(DeletePoolPayload p) =>
        PoolHandlerChecks.PoolId(p.Pool) ?? (p.MoveTo == p.Pool ? "a deleted pool's members cannot move into the same pool" : null);

    protected override IReadOnlyList<AssetAmount> Spend(DeletePoolPayload p) => [];

    protected override void Apply(TxContext c, DeletePoolPayload p)
    {
        var pool = PoolHandlerChecks.Mastered(c, p.Pool);
        if (p.MoveTo != 0) PoolHandlerChecks.Live(c, p.MoveTo);
        var epoch = c.Block.Epoch;
        var members = PoolsState.ReadMembers(c.State, p.Pool).ToList();
        foreach (var member in members) PoolsState.Switch(c.State, member, p.MoveTo, epoch); // each counts for MoveTo (or none) from the next epoch
        var after = PoolsState.ReadPool(c.State, p.Pool)!; // Switch kept the member count
        PoolsState.WritePool(c.State, after with { Deleted = true, DeletedEpoch = epoch });
        PoolsState.DeleteName(c.State, pool.Name);
        PoolsState.QueueRelease(c.State, epoch + 1, p.Pool);
        c.Emit(ChainEvent.Of(PoolsModule.Events.Deleted, ("pool", PoolsModule.Text(p.Pool)), ("moveTo", PoolsModule.Text(p.MoveTo)),
            ("members", PoolsModule.Text((ulong)members.Count)), ("stakeReturnEpoch", PoolsModule.Text(epoch + 1))));
    }
}
