using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Kyc;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>
/// The pools close spread over blocks (docs/pools.md, "The close spread over blocks"): one ended
/// epoch with 70 accounts (random PoE tallies, about two in three registered, most of those
/// verified), 7 pools (one deleted during the epoch, masters registered or not, different retained
/// rates), memberships that count from the epoch, switched ones whose epoch pool is the previous
/// one, and pools kept for the pending epoch. The same blocks are run with a close budget of 1, 7
/// and "all at once" with the real modules: the whole final state (pool stats, contributions,
/// balances, emission totals, app-hash keys) is identical key for key, and so are the pool and
/// emission events in order; the rewards equal the reference split (<see cref="PoolRewardSplit"/>).
/// </summary>
public sealed class PoolCloseChunkTests : IDisposable
{
    private const string EXT = AssetSymbol.Native;
    private const int Blocks = 400; // enough for a budget of 1 (about 2 x 52 PoE steps + 70 members + 52 candidates)
    private static readonly PoolsParameters Pools = new(Amount.FromWhole(100), 50_000, 3, 2);

    private readonly TestChain _t = new(genesis: g => g with { Pools = Pools });

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Chunk_sizes_give_the_same_close_key_for_key()
    {
        var all = Close(PoeParameters.MaxCloseChunkAccounts);
        var seven = Close(7);
        var one = Close(1);
        Assert.Equal(1, all.CloseBlocks); // a small chain closes in the first block after the epoch end
        Assert.True(seven.CloseBlocks > 10, $"budget 7 closed in {seven.CloseBlocks} blocks");
        Assert.True(one.CloseBlocks > 70 + 52, $"budget 1 closed in {one.CloseBlocks} blocks");
        Assert.True(seven.MaxMemberRewardsInBlock <= 7 && one.MaxMemberRewardsInBlock <= 1);
        foreach (var other in new[] { seven, one })
        {
            Assert.Equal(all.State.Count, other.State.Count);
            for (var i = 0; i < all.State.Count; i++)
            {
                Assert.Equal(Hex.Encode(all.State[i].Key), Hex.Encode(other.State[i].Key));
                Assert.True(all.State[i].Value.AsSpan().SequenceEqual(other.State[i].Value), $"state key {Hex.Encode(all.State[i].Key)} differs");
            }
            Assert.Equal(all.Events, other.Events);
        }
    }

    [Fact]
    public void Rewards_follow_the_reference_split()
    {
        var run = Close(5);
        var state = run.Final;
        var stats = PoolsState.ReadStatsOf(state, 0).ToList();
        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7], stats.Select(s => s.Pool));
        // The tally against the pure reference over the epoch's pools as set up (PoE from the report, standing at the epoch's last height).
        var setUp = EndingEpochWithPools().EpochPools.Where(p => p.Value != 0).Select(p => (p.Key, p.Value)).ToList();
        var height = _t.Chain.Head.Height + 1;
        var expectedTally = PoolEpochTally.Tally([1, 2, 3, 4, 5, 6, 7], setUp, a => PoeState.AccountPoe(state, 0, a),
            a => KycState.ReadStanding(state, a, height).Verified, a => AccountState.ReadRegistered(state, a), Pools.MaxEligiblePools, Pools.MinVerifiedMembers);
        foreach (var (s, t) in stats.Zip(expectedTally))
        {
            Assert.Equal((t.Pool, t.Poe, (ulong)t.Members.Count, t.VerifiedMembers, t.Rank, t.Eligible), (s.Pool, s.Poe, s.Members, s.VerifiedMembers, s.Rank, s.Eligible));
            var contributions = PoolsState.ReadContributions(state, 0, s.Pool).ToList();
            Assert.Equal(s.Eligible ? t.Members.Where(m => m.Poe > 0).Select(m => (m.Account, m.Poe, m.Registered)) : [],
                contributions.Select(c => (c.Account, c.Poe, c.Registered)));
        }
        Assert.Contains(stats, s => s.Pool == 6 && s.Members > 0); // deleted during the epoch: its members' PoE still counts there
        var eligible = stats.Where(s => s.Eligible).ToList();
        Assert.Equal(3, eligible.Count); // top 3 of the pools with 2 verified members
        Assert.All(stats.Where(s => !s.Eligible), s => Assert.Empty(PoolsState.ReadContributions(state, 0, s.Pool)));
        var available = run.PoolsAvailable;
        var inputs = eligible.Select(s => new PoolShareInput(s.Pool, s.Poe, s.Master, AccountState.ReadRegistered(state, s.Master), s.RetainedPpm,
            PoolsState.ReadContributions(state, 0, s.Pool).Select(c => new PoolMemberTally(c.Account, c.Poe, false, c.Registered)).ToList())).ToList();
        var expected = PoolRewardSplit.Split(available, inputs).ToDictionary(r => r.Pool);
        UInt128 paid = 0;
        foreach (var s in eligible)
        {
            var e = expected[s.Pool];
            Assert.Equal(e.Allotted, s.Reward);
            Assert.Equal(e.MasterReward, s.MasterReward);
            Assert.Equal(e.MembersReward, s.MembersReward);
            Assert.Equal((ulong)e.MemberRewards.Count + (e.MasterReward > 0 ? 1UL : 0), s.Payments);
            var rewards = e.MemberRewards.ToDictionary(r => r.Account, r => r.Reward);
            foreach (var c in PoolsState.ReadContributions(state, 0, s.Pool)) Assert.Equal(rewards.GetValueOrDefault(c.Account), c.Reward);
            paid += e.Paid;
        }
        Assert.True(paid > 0);
        var totals = EmissionState.ReadTotals(state);
        Assert.Equal(1UL, totals.EpochsSettled);
        Assert.Equal(paid, totals.Minted.Pools);
        Assert.Equal(UInt128.Zero, EmissionState.ReadPendingPools(state));
        Assert.Equal(available - paid, EmissionState.ReadCarry(state).Carried.Pools);
        // The close's working records are gone.
        Assert.Empty(state.IteratePrefix(PoolsKeys.CandidatesOf(0)));
        Assert.Empty(state.IteratePrefix(PoolsKeys.CloseSumsOf(0)));
        Assert.Null(PoolsState.ReadCloseProgress(state));
        Assert.False(PoolsState.IsPendingTally(state, 0));
    }

    private sealed record Run(List<KeyValuePair<byte[], byte[]>> State, List<string> Events, int CloseBlocks, int MaxMemberRewardsInBlock, StateOverlay Final,
        UInt128 PoolsAvailable);

    /// <summary>The epoch-end block and the next blocks (each over the previous ones, as committed), with the given close budget per block.</summary>
    private Run Close(ulong budget)
    {
        var genesis = _t.Genesis with { Poe = _t.Genesis.Poe with { CloseChunkAccounts = budget } };
        var executor = new TransactionExecutor(genesis, ModuleRegistry.Standard(genesis));
        var blocks = new BlockExecutor(executor);
        var chained = EndingEpoch();
        var (epoch, startMs) = EpochClock.Read(chained);
        Assert.Equal(0UL, epoch);
        var plan = executor.Modules.Get<EmissionModule>().Plan;
        var poolsAvailable = plan.SplitOfEpoch(0).Pools + EmissionState.ReadCarry(chained).Carried.Pools;
        var events = new List<string>();
        var closeBlocks = 0;
        var maxMemberRewards = 0;
        for (var k = 0; k <= Blocks; k++)
        {
            // Block 0 ends epoch 0; the next ones are 1 ms apart, far inside epoch 1.
            var at = new BlockContext(_t.Chain.Head.Height + 1 + (ulong)k, startMs + _t.Genesis.Staking.EpochLengthMs + (ulong)k, DevKeys.Validator.Address, Commit.Empty);
            var execution = blocks.Execute(chained, at, [], skipRejected: false);
            execution.Changes.MergeInto(chained);
            var ours = execution.BlockEvents.Where(e => e.Type.StartsWith("pool", StringComparison.Ordinal) || e.Type.StartsWith("emission", StringComparison.Ordinal)
                || e.Type.StartsWith("poe", StringComparison.Ordinal)).ToList();
            events.AddRange(ours.Select(e => e.Type + " " + string.Join(",", e.Attributes.Select(a => a.Key + "=" + a.Value))));
            maxMemberRewards = Math.Max(maxMemberRewards, ours.Count(e => e.Type == PoolsModule.Events.MemberRewarded));
            if (k > 0 && closeBlocks == 0 && EmissionState.ReadTotals(chained).EpochsSettled == 1) closeBlocks = k; // blocks after the epoch end up to the settlement
        }
        Assert.Equal(1UL, EmissionState.ReadTotals(chained).EpochsSettled);
        return new Run(chained.IteratePrefix([]).ToList(), events, closeBlocks, maxMemberRewards, chained, poolsAvailable);
    }

    /// <summary>Epoch 0 as the modules would hold it just before its last block (see the class summary), over the test chain's committed state.</summary>
    private StateOverlay EndingEpoch() => EndingEpochWithPools().State;

    /// <summary>The ending epoch and, as the test set it up, every account's pool of epoch 0 (0: none).</summary>
    private (StateOverlay State, Dictionary<Address, ulong> EpochPools) EndingEpochWithPools()
    {
        var epochPools = new Dictionary<Address, ulong>();
        var random = new Random(23);
        var state = new StateOverlay(_t.Chain.State);
        var accounts = Enumerable.Range(0, 70).Select(_ => TestChain.RandomAddress(random)).Order().ToList();
        var authority = accounts[0];
        foreach (var account in accounts)
        {
            if (random.Next(3) == 0) continue;
            new AccountState(state).SetRegistered(account);
            if (random.Next(5) != 0) KycState.WriteAttestation(state, new KycAttestation(account, ulong.MaxValue, authority, 0));
        }
        foreach (var account in accounts.Where(_ => random.Next(4) != 0))
        {
            var tally = AccountTally.Empty().WithTrade(random.Next(2) == 0, EXT, (UInt128)(ulong)random.NextInt64(1, 1_000_000_000_000), EXT,
                (UInt128)(ulong)random.NextInt64(1_000, 1_000_000_000));
            PoeState.WriteAccountTally(state, 0, account, tally);
        }
        uint[] retained = [0, 100_000, 250_000, 500_000, 50_000, 1_000_000, 300_000];
        for (var id = 1UL; id <= 7; id++)
        {
            var name = "pool" + id;
            // Pool 6 was deleted during epoch 0: its members' PoE of the epoch still counts there. Stakes are 0 (no EXT to move).
            PoolsState.WritePool(state, new PoolRecord(id, name, accounts[(int)id * 3], retained[id - 1], retained[id - 1], 0, 0, 0, 0, 0, id == 6, 0, false));
            PoolsState.TakeNextId(state);
        }
        for (var i = 0; i < accounts.Count; i++)
        {
            var a = accounts[i];
            var pool = (ulong)(i % 8); // 0: in no pool
            switch (i % 11)
            {
                case 3: // switched during epoch 0: the epoch's pool is the previous one
                    state.Set(PoolsKeys.Membership(a), new PoolMembership(a, (pool % 7) + 1, 1, pool).Encode());
                    epochPools[a] = pool;
                    break;
                case 7: // the record changed after the epoch ended, the epoch's pool kept for the pending close (one without a record)
                    state.Set(PoolsKeys.EpochPool(0, a), BitConverter.GetBytes(pool).Reverse().ToArray());
                    if (i % 2 == 0) state.Set(PoolsKeys.Membership(a), new PoolMembership(a, 0, 2, 5).Encode());
                    epochPools[a] = pool;
                    break;
                default:
                    if (pool != 0) state.Set(PoolsKeys.Membership(a), new PoolMembership(a, pool, 0, 0).Encode());
                    epochPools[a] = pool;
                    break;
            }
        }
        return (state, epochPools);
    }
}
