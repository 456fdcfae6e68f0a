using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Pools.Handlers;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>An account's PoE in an epoch, as the pools module reads it.</summary>
public delegate UInt128 PoolPoeSource(IStateReader state, ulong epoch, Address account);

/// <summary>
/// Pools (SPEC 8, docs/pools.md; kinds 50-54, prefix 0x05): create, update, join, leave and
/// delete pools. For each ended epoch, from the block where the PoE module finishes its report
/// (pending until then; docs/pools.md "Epoch end"), it closes the epoch a chunk per block
/// (<see cref="PoolEpochClose"/>): tallies the epoch's membership (PoE stays with the pool of the
/// epoch it was earned in), records every pool's PoE, members, verified members, rank and
/// eligibility for the epoch, and the eligible pools' contributions, and pays the pools share
/// through the emission module's <see cref="PoeChunkPayment.PayPools"/> (emission stays the only
/// minter and settles the epoch when the close ends). Stakes of pools deleted an epoch ago return at epoch ends.
/// </summary>
public sealed class PoolsModule(PoolsParameters parameters, EmissionModule emission, Poe.PoeModule poeModule, PoolPoeSource? poe = null) : ChainModule
{
    public const string ModuleName = "pools";

    /// <summary>
    /// The one place pools obtain PoE: each account's PoE of an epoch from the poe module's report,
    /// written by its epoch-end hook, which runs before this module's (registry order).
    /// </summary>
    public static UInt128 PoeSource(IStateReader state, ulong epoch, Address account) => Poe.PoeState.AccountPoe(state, epoch, account);

    /// <summary>Event types of the pools module.</summary>
    public static class Events
    {
        public const string Created = "pool_created";
        public const string Updated = "pool_updated";
        public const string Joined = "pool_joined";
        public const string Left = "pool_left";
        public const string Deleted = "pool_deleted";
        public const string StakeReturned = "pool_stake_returned";
        /// <summary>Per pool tallied at an epoch end: its PoE, members, verified members, rank and eligibility.</summary>
        public const string Tallied = "pool_tallied";
        /// <summary>Per eligible pool paid at an epoch end (emitted by the emission module's pools block).</summary>
        public const string Rewarded = "pool_rewarded";
        /// <summary>Per member paid at an epoch end: the pool, the member, the PoE it contributed and its reward (emission module's pools block).</summary>
        public const string MemberRewarded = "pool_member_rewarded";
        /// <summary>Per pool whose master was paid its retained part at an epoch end (emission module's pools block).</summary>
        public const string MasterRewarded = "pool_master_rewarded";
    }

    private readonly PoolPoeSource _poe = poe ?? PoeSource;

    public PoolsParameters Parameters => parameters;

    /// <summary>The same module reading PoE from another source (tests set chosen PoE figures this way).</summary>
    public PoolsModule WithPoeSource(PoolPoeSource source) => new(parameters, emission, poeModule, source);

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => PoolsKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } =
        [new CreatePoolHandler(parameters), new UpdatePoolHandler(parameters), new JoinPoolHandler(), new LeavePoolHandler(), new DeletePoolHandler()];

    public override IReadOnlyList<string> EventTypes { get; } =
        [Events.Created, Events.Updated, Events.Joined, Events.Left, Events.Deleted, Events.StakeReturned, Events.Tallied, Events.Rewarded,
            Events.MemberRewarded, Events.MasterRewarded];

    public PoolsQueries Queries(IStateReader state) => new(state, parameters);

    /// <summary>
    /// The epoch's tally needs its PoE report, which the PoE module finishes in a later block
    /// (docs/poe.md, "The close spread over blocks"): mark the epoch pending with its last height;
    /// return the stakes due now.
    /// </summary>
    public override void EpochEnd(BlockHookContext c)
    {
        PoolsState.WritePendingTally(c.State, c.Block.Epoch, c.Block.Height);
        ReturnStakes(c, c.Block.Epoch);
    }

    /// <summary>
    /// Does this block's share of the oldest pending epoch's close once its PoE report exists (the
    /// PoE module runs before this one; emission settles after), with what is left of the block's
    /// close budget (docs/pools.md, "The close spread over blocks").
    /// </summary>
    public override void EndBlock(BlockHookContext c)
    {
        var pending = PoolsState.ReadPendingTallies(c.State);
        if (pending.Count == 0 || Poe.PoeState.ReadSummary(c.State, pending[0].Epoch) is null) return;
        // The pools share of the epoch: its cycle's share plus the pools carry (the previous epoch settled before this report was paid).
        PoolEpochClose.Advance(c, pending[0].Epoch, pending[0].Height, poeModule.CloseBudgetLeft(c), parameters, _poe,
            epoch => EmissionState.ReadCarry(c.State).Available(emission.Plan.SplitOfEpoch(epoch)).Pools);
    }

    // Stakes of pools deleted in the previous epoch go back to their masters' liquid EXT.
    private static void ReturnStakes(BlockHookContext c, ulong epoch)
    {
        var accounts = new AccountState(c.State);
        foreach (var id in PoolsState.ReadReleases(c.State, epoch))
        {
            var pool = PoolsState.ReadPool(c.State, id) ?? throw new InvalidOperationException($"a stake release names pool {id}, which does not exist");
            accounts.Credit(pool.Master, AssetSymbol.Native, pool.Stake);
            PoolsState.WriteLocked(c.State, PoolsState.ReadLocked(c.State) - pool.Stake);
            PoolsState.WritePool(c.State, pool with { StakeReturned = true });
            PoolsState.DeleteRelease(c.State, epoch, id);
            c.Emit(ChainEvent.Of(Events.StakeReturned, ("pool", Text(id)), ("master", pool.Master.ToString()), ("stake", ChainEvent.Units(pool.Stake))));
        }
    }

    internal static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
