using System.Numerics;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>
/// The pools share on a real chain (small parameters: top 2 pools, 2 verified members), against
/// an independent computation here: eligibility by rank and verified members, the split by pool
/// PoE, the master's retained part, members by contributed PoE (unregistered members get nothing
/// and dilute no one), the carry of what is not paid, and an expired attestation dropping a pool.
/// </summary>
public sealed class PoolRewardTests : IDisposable
{
    private readonly PoolTestKit _k = new();

    public void Dispose() => _k.Dispose();

    private static Address A(int i) => PoolTestKit.Accounts[i];

    /// <summary>
    /// Epoch 0: accounts 0-6 register and are attested (account 5 until <paramref name="expiryOf5"/>), 7 neither; pools
    /// 1 (master 0, 10%), 2 (master 1, 0%), 3 (master 2, 20%), 4 (master 3, 0%); members 1: 0, 4, 7; 2: 1; 3: 2, 5; 4: 3, 6.
    /// Their PoE of epoch 1: 0:100, 4:300, 7:600 (pool 1: 1000), 1:5000 (pool 2), 2:200, 5:200 (pool 3: 400), 3:10, 6:10 (pool 4: 20).
    /// </summary>
    private void Setup(ulong expiryOf5)
    {
        _k.Batch([.. Enumerable.Range(0, 7).Select(i => (i, (TxPayload)new RegisterPayload())),
            (0, new CreatePoolPayload("p1", 100_000)), (1, new CreatePoolPayload("p2", 0)), (2, new CreatePoolPayload("p3", 200_000)), (3, new CreatePoolPayload("p4", 0))]);
        _k.Batch([.. Enumerable.Range(0, 7).Select(i => (0, (TxPayload)new KycAttestPayload(A(i), i == 5 ? expiryOf5 : 1_000))),
            (4, new JoinPoolPayload(1)), (7, new JoinPoolPayload(1)), (1, new JoinPoolPayload(2)), (2, new JoinPoolPayload(3)),
            (5, new JoinPoolPayload(3)), (3, new JoinPoolPayload(4)), (6, new JoinPoolPayload(4))]);
        _k.Ok(0, new JoinPoolPayload(1));
        Assert.Equal(0UL, _k.Epoch);
        _k.ToNextEpoch();
        foreach (var (i, poe) in new[] { (0, 100), (4, 300), (7, 600), (1, 5000), (2, 200), (5, 200), (3, 10), (6, 10) })
            _k.Poe[(1, A(i))] = (UInt128)poe;
    }

    private static UInt128 Floor(UInt128 amount, UInt128 part, UInt128 whole) => (UInt128)((BigInteger)amount * part / whole);

    private UInt128[] Balances() => Enumerable.Range(0, PoolTestKit.AccountCount).Select(_k.Balance).ToArray();

    [Fact]
    public void Eligible_pools_share_by_pool_poe_masters_keep_the_retained_part_members_share_by_poe()
    {
        Setup(expiryOf5: 1_000);
        var available = _k.PoolsAvailable();
        Assert.True(available > 0);
        var before = Balances();
        var supplyBefore = AccountState.ReadAsset(_k.State, AssetSymbol.Native)!.Supply;
        var mintedBefore = EmissionState.ReadTotals(_k.State).Minted.Pools;
        var posBefore = EmissionState.ReadTotals(_k.State).Minted.ProofOfStake;
        _k.ToNextEpoch();

        // Ranked among pools with 2 verified members: 1 (1000), 3 (400), 4 (20, third: not eligible); pool 2 has 1 verified member.
        var s = Enumerable.Range(1, 4).Select(p => PoolsState.ReadStats(_k.State, 1, (ulong)p)!).ToArray();
        Assert.Equal([1000, 5000, 400, 20], s.Select(x => (int)x.Poe));
        Assert.Equal([3UL, 1, 2, 2], s.Select(x => x.Members));
        Assert.Equal([2UL, 1, 2, 2], s.Select(x => x.VerifiedMembers));
        Assert.Equal([1UL, 0, 2, 3], s.Select(x => x.Rank));
        Assert.Equal([true, false, true, false], s.Select(x => x.Eligible));

        var allot1 = Floor(available, 1000, 1400);
        var allot3 = Floor(available, 400, 1400);
        var retained1 = Floor(allot1, 100_000, 1_000_000);
        var retained3 = Floor(allot3, 200_000, 1_000_000);
        var m0 = Floor(allot1 - retained1, 100, 400); // account 7's 600 PoE is unregistered: it counts for the pool, not in the members' split
        var m4 = Floor(allot1 - retained1, 300, 400);
        var m2 = Floor(allot3 - retained3, 200, 400);
        var m5 = Floor(allot3 - retained3, 200, 400);
        var expected = new UInt128[] { retained1 + m0, 0, retained3 + m2, 0, m4, m5, 0, 0 };
        var after = Balances();
        Assert.Equal(expected, after.Zip(before, (a, b) => a - b).ToArray());

        var paid = expected.Aggregate(UInt128.Zero, (x, y) => x + y);
        var p1 = s[0];
        Assert.Equal((allot1, retained1, m0 + m4, 3UL), (p1.Reward, p1.MasterReward, p1.MembersReward, p1.Payments)); // master + members 0 and 4
        Assert.Equal((allot3, retained3, m2 + m5), (s[2].Reward, s[2].MasterReward, s[2].MembersReward));
        Assert.Equal(new[] { (A(0), (UInt128)100, m0), (A(4), (UInt128)300, m4), (A(7), (UInt128)600, UInt128.Zero) }.OrderBy(c => c.Item1), // address order
            PoolsState.ReadContributions(_k.State, 1, 1).Select(c => (c.Account, c.Poe, c.Reward)).ToArray());
        Assert.Empty(PoolsState.ReadContributions(_k.State, 1, 4)); // not eligible: no contributions recorded
        // Emission minted exactly what was paid and carries the rest of the pools share; the supply grew by what was minted.
        var totals = EmissionState.ReadTotals(_k.State);
        Assert.Equal(mintedBefore + paid, totals.Minted.Pools);
        Assert.Equal(available - paid, EmissionState.ReadCarry(_k.State).Carried.Pools);
        Assert.Equal(supplyBefore + paid + (totals.Minted.ProofOfStake - posBefore), AccountState.ReadAsset(_k.State, AssetSymbol.Native)!.Supply);
    }

    [Fact]
    public void The_epoch_end_emits_an_event_per_paid_member_and_one_for_each_paid_master()
    {
        Setup(expiryOf5: 1_000);
        var available = _k.PoolsAvailable();
        var before = Balances();
        var events = _k.ToNextEpoch();

        var allot1 = Floor(available, 1000, 1400);
        var allot3 = Floor(available, 400, 1400);
        var retained1 = Floor(allot1, 100_000, 1_000_000);
        var retained3 = Floor(allot3, 200_000, 1_000_000);
        // Members in pool order, then address order; account 7 (unregistered) contributed PoE but is paid nothing: no event.
        var expectedMembers = new[] { (1, A(0), 100, Floor(allot1 - retained1, 100, 400)), (1, A(4), 300, Floor(allot1 - retained1, 300, 400)) }
            .OrderBy(m => m.Item2)
            .Concat(new[] { (3, A(2), 200, Floor(allot3 - retained3, 200, 400)), (3, A(5), 200, Floor(allot3 - retained3, 200, 400)) }.OrderBy(m => m.Item2))
            .Select(m => ("1", m.Item1.ToString(), m.Item2.ToString(), m.Item3.ToString(), m.Item4.ToString()))
            .ToArray();
        Assert.Equal(expectedMembers, events.Where(e => e.Type == PoolsModule.Events.MemberRewarded)
            .Select(e => (e.Get("epoch")!, e.Get("pool")!, e.Get("member")!, e.Get("poe")!, e.Get("reward")!)).ToArray());
        Assert.Equal([("1", "1", A(0).ToString(), "100000", retained1.ToString()), ("1", "3", A(2).ToString(), "200000", retained3.ToString())],
            events.Where(e => e.Type == PoolsModule.Events.MasterRewarded)
                .Select(e => (e.Get("epoch"), e.Get("pool"), e.Get("master"), e.Get("retainedPpm"), e.Get("reward"))).ToArray());

        // The events account for every base unit the pools share credited: their sum is each account's balance change.
        var credited = new Dictionary<string, UInt128>();
        foreach (var e in events.Where(e => e.Type is PoolsModule.Events.MemberRewarded or PoolsModule.Events.MasterRewarded))
        {
            var account = e.Get("member") ?? e.Get("master")!;
            credited[account] = credited.GetValueOrDefault(account) + UInt128.Parse(e.Get("reward")!);
        }
        var after = Balances();
        for (var i = 0; i < PoolTestKit.AccountCount; i++)
            Assert.Equal(after[i] - before[i], credited.GetValueOrDefault(A(i).ToString()));
    }

    [Fact]
    public void An_expired_attestation_drops_a_pool_below_the_verified_minimum()
    {
        Setup(expiryOf5: 15); // account 5 is verified in epoch 0 only
        var available = _k.PoolsAvailable();
        var before = Balances();
        _k.ToNextEpoch();

        var s3 = PoolsState.ReadStats(_k.State, 1, 3)!;
        Assert.Equal((1UL, 0UL, false), (s3.VerifiedMembers, s3.Rank, s3.Eligible));
        var s4 = PoolsState.ReadStats(_k.State, 1, 4)!;
        Assert.Equal((2UL, 2UL, true), (s4.VerifiedMembers, s4.Rank, s4.Eligible));
        // Pools 1 (1000) and 4 (20) share; pool 4's master retains nothing, its members 3 and 6 split evenly.
        var allot1 = Floor(available, 1000, 1020);
        var allot4 = Floor(available, 20, 1020);
        var retained1 = Floor(allot1, 100_000, 1_000_000);
        var after = Balances();
        Assert.Equal(UInt128.Zero, after[2] - before[2]);
        Assert.Equal(UInt128.Zero, after[5] - before[5]);
        Assert.Equal(Floor(allot4, 10, 20), after[3] - before[3]);
        Assert.Equal(Floor(allot4, 10, 20), after[6] - before[6]);
        Assert.Equal(retained1 + Floor(allot1 - retained1, 100, 400), after[0] - before[0]);
    }
}
