using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>A pool with its record of one closed epoch (null when that epoch has no record of it).</summary>
public sealed record PoolView(PoolRecord Pool, PoolEpochStats? Stats);

/// <summary>An account's membership: the pool its PoE counts for in the current epoch and the one from the next epoch on.</summary>
public sealed record MembershipView(Address Account, ulong Epoch, ulong PoolNow, ulong PoolNext, ulong NextFromEpoch);

/// <summary>The pools module's typed read API (JSON-RPC maps its records).</summary>
public sealed class PoolsQueries(IStateReader state, PoolsParameters parameters)
{
    public const int MaxPageSize = 1_000;
    public const int MaxEpochRange = 100;

    public PoolsParameters Params => parameters;

    /// <summary>The epoch in progress; the last closed one is one below (none while it is 0).</summary>
    public ulong CurrentEpoch => EpochClock.Read(state).Epoch;

    public PoolRecord? Get(ulong id) => PoolsState.ReadPool(state, id);

    public PoolRecord? GetByName(string name) => PoolsState.ReadPoolIdByName(state, name) is { } id ? Get(id) : null;

    /// <summary>
    /// Pools ranked by the closed epoch's record: ranked pools first by rank, then the others by PoE
    /// descending and id; pools deleted before that epoch are left out unless asked for.
    /// </summary>
    public IReadOnlyList<PoolView> Ranked(ulong epoch, bool includeDeleted)
    {
        var stats = PoolsState.ReadStatsOf(state, epoch).ToDictionary(s => s.Pool);
        return PoolsState.ReadPools(state)
            .Where(p => includeDeleted || !p.Deleted)
            .Select(p => new PoolView(p, stats.GetValueOrDefault(p.Id)))
            .OrderBy(v => v.Stats is { Rank: > 0 } s ? s.Rank : ulong.MaxValue)
            .ThenByDescending(v => v.Stats?.Poe ?? 0)
            .ThenBy(v => v.Pool.Id)
            .ToList();
    }

    /// <summary>Accounts whose latest membership is the pool, in address order, after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<MembershipView> Members(ulong pool, int limit, Address? after)
    {
        var epoch = CurrentEpoch;
        return PoolsState.ReadMembers(state, pool)
            .Where(a => after is null || a.CompareTo(after.Value) > 0)
            .Take(limit)
            .Select(a => Membership(a, epoch))
            .ToList();
    }

    public MembershipView Membership(Address account) => Membership(account, CurrentEpoch);

    private MembershipView Membership(Address account, ulong epoch)
    {
        var m = PoolsState.ReadMembership(state, account);
        return new MembershipView(account, epoch, m?.PoolOf(epoch) ?? 0, m?.PoolOf(epoch + 1) ?? 0, m?.FromEpoch ?? 0);
    }

    /// <summary>The pool's records of closed epochs from..to (inclusive, at most <see cref="MaxEpochRange"/>), epochs without a record left out.</summary>
    public IReadOnlyList<PoolEpochStats> Rewards(ulong pool, ulong from, ulong to)
    {
        var list = new List<PoolEpochStats>();
        for (var e = from; e <= to; e++)
        {
            if (PoolsState.ReadStats(state, e, pool) is { } s) list.Add(s);
            if (e == ulong.MaxValue) break;
        }
        return list;
    }

    /// <summary>Who contributed PoE to an eligible pool in a closed epoch and what each was paid, in address order.</summary>
    public IReadOnlyList<PoolContribution> Contributions(ulong epoch, ulong pool) => PoolsState.ReadContributions(state, epoch, pool).ToList();

    public UInt128 Locked() => PoolsState.ReadLocked(state);
}
