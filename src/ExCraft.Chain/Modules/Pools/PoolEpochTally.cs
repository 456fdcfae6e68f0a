using ExCraft.Core;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>One member of a pool in the epoch being closed, with its PoE of that epoch and its standing at the epoch's last block.</summary>
public sealed record PoolMemberTally(Address Account, UInt128 Poe, bool Verified, bool Registered);

/// <summary>One pool's tally for an epoch: its PoE (sum of its members'), members, verified members, rank and eligibility.</summary>
public sealed record PoolTally(ulong Pool, UInt128 Poe, IReadOnlyList<PoolMemberTally> Members, ulong VerifiedMembers, ulong Rank, bool Eligible);

/// <summary>
/// The epoch-end tally of pools (SPEC 8, docs/pools.md), pure: given each pool's members of the
/// epoch and each member's PoE (<c>poeOf</c>, from the PoE module) and verified standing, it sums
/// pool PoE, counts (verified) members and ranks. Rank: among pools with at least
/// minVerifiedMembers verified members and PoE above zero, by PoE descending, then pool id
/// ascending; the first maxEligiblePools are eligible. Integers only; output in pool id order.
/// </summary>
public static class PoolEpochTally
{
    public static IReadOnlyList<PoolTally> Tally(IReadOnlyList<ulong> pools, IEnumerable<(Address Account, ulong Pool)> memberships,
        Func<Address, UInt128> poeOf, Func<Address, bool> verified, Func<Address, bool> registered, uint maxEligiblePools, uint minVerifiedMembers)
    {
        var members = pools.ToDictionary(p => p, _ => new List<PoolMemberTally>());
        foreach (var (account, pool) in memberships.OrderBy(m => m.Account))
        {
            if (members.TryGetValue(pool, out var list)) list.Add(new PoolMemberTally(account, poeOf(account), verified(account), registered(account)));
        }
        var sums = members.ToDictionary(m => m.Key, m => (
            Poe: m.Value.Aggregate(UInt128.Zero, (sum, x) => Amount.Add(sum, x.Poe)),
            Verified: (ulong)m.Value.Count(x => x.Verified)));
        var ranked = Rank(sums.Select(s => (s.Key, s.Value.Poe, s.Value.Verified)), minVerifiedMembers);
        return pools.Order().Select(p =>
        {
            var rank = ranked.GetValueOrDefault(p);
            return new PoolTally(p, sums[p].Poe, members[p], sums[p].Verified, rank, rank != 0 && rank <= maxEligiblePools);
        }).ToList();
    }

    /// <summary>The ranks (from 1) of the pools with at least minVerifiedMembers verified members and PoE above zero: by PoE descending, then pool id ascending.</summary>
    public static IReadOnlyDictionary<ulong, ulong> Rank(IEnumerable<(ulong Pool, UInt128 Poe, ulong Verified)> pools, uint minVerifiedMembers) =>
        pools.Where(s => s.Verified >= minVerifiedMembers && s.Poe > 0)
            .OrderByDescending(s => s.Poe).ThenBy(s => s.Pool)
            .Select((s, index) => (s.Pool, Rank: (ulong)index + 1))
            .ToDictionary(r => r.Pool, r => r.Rank);
}
