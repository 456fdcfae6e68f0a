using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Kyc;
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
/// delete pools. For each ended epoch, in the block where the PoE module finishes its report
/// (pending until then; docs/pools.md "Epoch end"), it tallies the epoch's membership (PoE stays with the pool of
/// the epoch it was earned in), records every pool's PoE, members, verified members, rank and
/// eligibility for the epoch, records the eligible pools' contributions, and returns the stakes of
/// pools deleted an epoch ago. The pools share itself is paid by the emission module (the only
/// minter) with <see cref="PoolPayouts"/>, later in the same block. Stakes return at epoch ends.
/// </summary>
public sealed class PoolsModule(PoolsParameters parameters, PoolPoeSource? poe = null) : ChainModule
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

    /// <summary>Tallies the oldest pending epoch once its PoE report exists (the PoE module runs before this one; emission pays after).</summary>
    public override void EndBlock(BlockHookContext c)
    {
        var pending = PoolsState.ReadPendingTallies(c.State);
        if (pending.Count > 0 && Poe.PoeState.ReadSummary(c.State, pending[0].Epoch) is not null) Tally(c, pending[0].Epoch, pending[0].Height);
    }

    private void Tally(BlockHookContext c, ulong epoch, ulong height)
    {
        var state = c.State;
        // Pools of the epoch: every pool not deleted before it (those deleted during it or since keep their members' PoE of the epoch).
        var pools = PoolsState.ReadPools(state).Where(p => !p.Deleted || p.DeletedEpoch >= epoch).ToDictionary(p => p.Id);
        var memberships = PoolsState.ReadMemberships(state).ToList();
        var counted = PoolsState.ReadEpochMembers(state, epoch, memberships).ToList();
        // Each member's PoE and standing read once, not once per question.
        var figures = new (UInt128 Poe, bool Registered, bool Verified)[counted.Count];
        for (var i = 0; i < counted.Count; i++) // one thread: the block's committed-read cache is not safe for concurrent reads
        {
            var account = counted[i].Account;
            var (registered, verified) = KycState.ReadStanding(state, account, height);
            figures[i] = (_poe(state, epoch, account), registered, verified);
        }
        var byAccount = new Dictionary<Address, (UInt128 Poe, bool Registered, bool Verified)>(counted.Count);
        for (var i = 0; i < counted.Count; i++) byAccount[counted[i].Account] = figures[i];
        var tallies = PoolEpochTally.Tally(pools.Keys.ToList(), counted, account => byAccount[account].Poe, account => byAccount[account].Verified,
            account => byAccount[account].Registered, parameters.MaxEligiblePools, parameters.MinVerifiedMembers);
        foreach (var t in tallies)
        {
            var pool = pools[t.Pool];
            PoolsState.WriteStats(state, new PoolEpochStats(epoch, t.Pool, pool.Master, pool.RetainedPpm, t.Poe, (ulong)t.Members.Count, t.VerifiedMembers,
                t.Rank, t.Eligible, 0, 0, 0, 0));
            if (t.Eligible)
            {
                foreach (var m in t.Members.Where(m => m.Poe > 0)) PoolsState.WriteContribution(state, epoch, t.Pool, new PoolContribution(m.Account, m.Poe, m.Registered, 0));
            }
            c.Emit(ChainEvent.Of(Events.Tallied, ("epoch", Text(epoch)), ("pool", Text(t.Pool)), ("poe", ChainEvent.Units(t.Poe)),
                ("members", Text((ulong)t.Members.Count)), ("verifiedMembers", Text(t.VerifiedMembers)), ("rank", Text(t.Rank)),
                ("eligible", t.Eligible ? "true" : "false")));
        }
        foreach (var m in memberships) PoolsState.Compact(state, m, epoch);
        PoolsState.FinishTally(state, epoch);
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
