using ExCraft.Chain.Modules.Pools;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>The pure pool tally (ranking, the 101-pool and 100-verified-member rules at mainnet values) and the reward split (exact floors, dust left over, unregistered parts unpaid).</summary>
public sealed class PoolRewardSplitTests
{
    private static Address Account(int i) => new(Enumerable.Repeat((byte)0, 16).Concat(BitConverter.GetBytes(i).Reverse()).ToArray());

    [Fact]
    public void Mainnet_rules_top_101_pools_by_poe_with_at_least_100_verified_members()
    {
        // 103 pools: pool p has 100 verified members (pool 50 only 99, pool 51 has 99 verified and 1 not) each with PoE p.
        var pools = Enumerable.Range(1, 103).Select(p => (ulong)p).ToList();
        var memberships = new List<(Address, ulong)>();
        var verified = new HashSet<Address>();
        var poe = new Dictionary<Address, UInt128>();
        var next = 0;
        foreach (var p in pools)
        {
            var count = p == 50 ? 99 : 100;
            for (var i = 0; i < count; i++)
            {
                var a = Account(next++);
                memberships.Add((a, p));
                poe[a] = p;
                if (!(p == 51 && i == 0)) verified.Add(a);
            }
        }
        var mainnet = PoolsParameters.Mainnet;
        var tallies = PoolEpochTally.Tally(pools, memberships, a => poe[a], verified.Contains, _ => true, mainnet.MaxEligiblePools, mainnet.MinVerifiedMembers);

        Assert.Equal(pools, tallies.Select(t => t.Pool));
        Assert.Equal((UInt128)(100 * 103), tallies[102].Poe);
        Assert.Equal(99UL, tallies[50].VerifiedMembers);
        Assert.False(tallies[49].Eligible); // 99 members
        Assert.False(tallies[50].Eligible); // 99 verified of 100
        Assert.Equal(0UL, tallies[49].Rank);
        // 101 pools qualify; ranked by PoE descending, all 101 are eligible; rank 1 is pool 103.
        Assert.Equal(101, tallies.Count(t => t.Eligible));
        Assert.Equal(1UL, tallies[102].Rank);
        Assert.Equal(101UL, tallies[0].Rank);

        // One more qualifying pool with the lowest PoE ranks 102nd and is left out.
        var extra = Enumerable.Range(0, 100).Select(i => (Account(100_000 + i), 104UL)).ToList();
        foreach (var (a, _) in extra) { poe[a] = 0; verified.Add(a); }
        poe[extra[0].Item1] = 1;
        var more = PoolEpochTally.Tally([.. pools, 104], [.. memberships, .. extra], a => poe[a], verified.Contains, _ => true, 101, 100);
        Assert.Equal((102UL, false), (more[103].Rank, more[103].Eligible));
        Assert.Equal(101, more.Count(t => t.Eligible));
    }

    [Fact]
    public void Ties_rank_by_pool_id_and_pools_without_poe_are_not_ranked()
    {
        var a = Account(1);
        var b = Account(2);
        var c = Account(3);
        var tallies = PoolEpochTally.Tally([7, 3, 9], [(a, 7), (b, 3), (c, 9)], x => (UInt128)(x == c ? 0 : 50), _ => true, _ => true, 5, 1);
        Assert.Equal([3UL, 7, 9], tallies.Select(t => t.Pool));
        Assert.Equal([1UL, 2, 0], tallies.Select(t => t.Rank));
        Assert.Equal([true, true, false], tallies.Select(t => t.Eligible));
    }

    [Fact]
    public void Split_is_exact_floors_and_leaves_the_dust_and_unregistered_parts_unpaid()
    {
        var m1 = Account(1);
        var m2 = Account(2);
        var m3 = Account(3);
        var unregistered = Account(4);
        var masterA = Account(10);
        var masterB = Account(11);
        var pools = new[]
        {
            new PoolShareInput(1, 3, masterA, true, 333_333,
                [new(m1, 1, true, true), new(m2, 1, true, true), new(unregistered, 1, true, false)]),
            new PoolShareInput(2, 4, masterB, false, 500_000, [new(m3, 4, false, true)]),
        };
        var results = PoolRewardSplit.Split(1_000, pools);
        // Pool 1: floor(1000*3/7) = 428; master floor(428*333333/10^6) = 142; rest 286 over registered PoE 2: 143 each.
        // Pool 2: floor(1000*4/7) = 571; its master is unregistered: the 285 retained is not paid; m3 gets 286.
        var r1 = results.Single(r => r.Pool == 1);
        Assert.Equal(((UInt128)428, (UInt128)142), (r1.Allotted, r1.MasterReward));
        Assert.Equal([(m1, (UInt128)143), (m2, 143)], r1.MemberRewards);
        var r2 = results.Single(r => r.Pool == 2);
        Assert.Equal(((UInt128)571, UInt128.Zero), (r2.Allotted, r2.MasterReward));
        Assert.Equal([(m3, (UInt128)286)], r2.MemberRewards);
        Assert.Equal((UInt128)(142 + 286 + 286), results.Aggregate(UInt128.Zero, (s, r) => s + r.Paid));
    }

    [Fact]
    public void Split_never_pays_more_than_available()
    {
        var inputs = Enumerable.Range(1, 37).Select(p => new PoolShareInput((ulong)p, (UInt128)(p * 7919 % 1013 + 1), Account(1000 + p), p % 3 != 0, (uint)(p * 27_011 % 1_000_001),
            Enumerable.Range(0, p % 5 + 1).Select(i => new PoolMemberTally(Account(p * 10 + i), (UInt128)(i * 13 + p), true, i % 4 != 3)).ToList())).ToList();
        foreach (var available in new UInt128[] { 0, 1, 999, 10_000_019, Amount.FromWhole(1_234_567) })
        {
            var paid = PoolRewardSplit.Split(available, inputs).Aggregate(UInt128.Zero, (s, r) => s + r.Paid);
            Assert.True(paid <= available);
        }
    }
}
