using ExCraft.Chain.Execution;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools.Handlers;

/// <summary>
/// update_pool (kind 51): the master sets a new retained percentage. Within one epoch the value may
/// move at most max_retained_change_ppm away from what it was when the epoch began (several updates
/// in one epoch cannot add up to more), so members have an epoch's notice of any larger change.
/// </summary>
public sealed class UpdatePoolHandler(PoolsParameters parameters) : TxHandler<UpdatePoolPayload>
{
    protected override string? CheckStateless(UpdatePoolPayload p) => PoolHandlerChecks.PoolId(p.Pool) ?? PoolHandlerChecks.Retained(p.RetainedPpm);

    protected override IReadOnlyList<AssetAmount> Spend(UpdatePoolPayload p) => [];

    protected override void Apply(TxContext c, UpdatePoolPayload p)
    {
        var pool = PoolHandlerChecks.Mastered(c, p.Pool);
        var epoch = c.Block.Epoch;
        var baseline = pool.BaseEpoch == epoch ? pool.BaseRetainedPpm : pool.RetainedPpm;
        var change = p.RetainedPpm > baseline ? p.RetainedPpm - baseline : baseline - p.RetainedPpm;
        if (change > parameters.MaxRetainedChangePpm)
            throw new TransactionFailedException($"pool {p.Pool}'s retained percentage may move at most {parameters.MaxRetainedChangePpm} ppm per epoch: it was {baseline} ppm when epoch {epoch} began, {p.RetainedPpm} ppm is {change} ppm away");
        PoolsState.WritePool(c.State, pool with { RetainedPpm = p.RetainedPpm, BaseRetainedPpm = baseline, BaseEpoch = epoch });
        c.Emit(ChainEvent.Of(PoolsModule.Events.Updated, ("pool", PoolsModule.Text(p.Pool)), ("retainedPpm", PoolsModule.Text(p.RetainedPpm)),
            ("previousPpm", PoolsModule.Text(pool.RetainedPpm))));
    }
}
