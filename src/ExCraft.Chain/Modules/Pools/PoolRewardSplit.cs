using System.Numerics;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>One eligible pool as the split sees it: its PoE, master, retained rate and the members that contributed PoE.</summary>
public sealed record PoolShareInput(ulong Pool, UInt128 Poe, Address Master, bool MasterRegistered, uint RetainedPpm, IReadOnlyList<PoolMemberTally> Members);

/// <summary>What one pool was allotted and paid: the master's retained part and each registered member's part (in address order).</summary>
public sealed record PoolShareResult(ulong Pool, UInt128 Allotted, UInt128 MasterReward, IReadOnlyList<(Address Account, UInt128 Reward)> MemberRewards)
{
    public UInt128 MembersReward => MemberRewards.Aggregate(UInt128.Zero, (sum, r) => Amount.Add(sum, r.Reward));

    public UInt128 Paid => Amount.Add(MasterReward, MembersReward);
}

/// <summary>
/// The pools share's split (SPEC 8, docs/pools.md), pure and integer-only. Each eligible pool is
/// allotted floor(available * pool PoE / sum of eligible pools' PoE); its master keeps
/// floor(allotted * retained / 10^6), paid only if the master is registered; the rest goes to the
/// pool's registered members, each floor(rest * own PoE / registered members' PoE) (unregistered
/// members get nothing and dilute no one, as for PoS). Whatever is not paid (rounding dust, an
/// unregistered master's part, a pool without registered PoE) is left for the caller to carry.
/// </summary>
public static class PoolRewardSplit
{
    public static IReadOnlyList<PoolShareResult> Split(UInt128 available, IReadOnlyList<PoolShareInput> pools)
    {
        var total = pools.Aggregate(UInt128.Zero, (sum, p) => Amount.Add(sum, p.Poe));
        if (total == 0 || available == 0) return [];
        var results = new List<PoolShareResult>();
        foreach (var pool in pools.OrderBy(p => p.Pool))
        {
            var allotted = MulDiv(available, pool.Poe, total);
            var retained = Ppm.Of(allotted, pool.RetainedPpm);
            var rest = allotted - retained;
            var paying = pool.Members.Where(m => m.Registered && m.Poe > 0).OrderBy(m => m.Account).ToList();
            var payingPoe = paying.Aggregate(UInt128.Zero, (sum, m) => Amount.Add(sum, m.Poe));
            var memberRewards = payingPoe == 0 ? [] : paying.Select(m => (m.Account, MulDiv(rest, m.Poe, payingPoe))).Where(r => r.Item2 > 0).ToList();
            results.Add(new PoolShareResult(pool.Pool, allotted, pool.MasterRegistered ? retained : 0, memberRewards));
        }
        return results;
    }

    private static UInt128 MulDiv(UInt128 amount, UInt128 part, UInt128 whole) => (UInt128)((BigInteger)amount * part / whole);
}
