using System.Buffers.Binary;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>Typed access to the pools module's records (docs/pools.md): pools, names, memberships and their index, stake releases, per-epoch stats and contributions.</summary>
public static class PoolsState
{
    public static PoolRecord? ReadPool(IStateReader state, ulong id) =>
        state.Get(PoolsKeys.Pool(id)) is { } value ? PoolRecord.Decode(id, value) : null;

    /// <summary>Every pool ever created (deleted ones too), in id order.</summary>
    public static IEnumerable<PoolRecord> ReadPools(IStateReader state) =>
        state.IteratePrefix(PoolsKeys.AllPools).Select(kv => PoolRecord.Decode(BinaryPrimitives.ReadUInt64BigEndian(kv.Key.AsSpan(PoolsKeys.Prefix.Length + 1)), kv.Value));

    public static void WritePool(StateOverlay state, PoolRecord pool) => state.Set(PoolsKeys.Pool(pool.Id), pool.Encode());

    /// <summary>The id of the live (not deleted) pool with this name, or null.</summary>
    public static ulong? ReadPoolIdByName(IStateReader state, string name) =>
        state.Get(PoolsKeys.Name(name)) is { } value ? BinaryPrimitives.ReadUInt64BigEndian(value) : null;

    public static void WriteName(StateOverlay state, string name, ulong id) => state.Set(PoolsKeys.Name(name), U64(id));

    public static void DeleteName(StateOverlay state, string name) => state.Delete(PoolsKeys.Name(name));

    /// <summary>Takes the next pool id (ids start at 1; 0 means "no pool").</summary>
    public static ulong TakeNextId(StateOverlay state)
    {
        var id = state.Get(PoolsKeys.NextId) is { } value ? BinaryPrimitives.ReadUInt64BigEndian(value) : 1;
        state.Set(PoolsKeys.NextId, U64(id + 1));
        return id;
    }

    public static UInt128 ReadLocked(IStateReader state) =>
        StateAmounts.Read(state, PoolsKeys.Locked);

    public static void WriteLocked(StateOverlay state, UInt128 total) => state.Set(PoolsKeys.Locked, StateAmounts.Encode(total)); // kept at zero too (the layout the app hash covers)

    public static PoolMembership? ReadMembership(IStateReader state, Address account) =>
        state.Get(PoolsKeys.Membership(account)) is { } value ? PoolMembership.Decode(account, value) : null;

    /// <summary>Every membership record, in address order.</summary>
    public static IEnumerable<PoolMembership> ReadMemberships(IStateReader state) =>
        state.IteratePrefix(PoolsKeys.AllMemberships).Select(kv => PoolMembership.Decode(PoolsKeys.AccountOfMembershipKey(kv.Key), kv.Value));

    /// <summary>Whether the account's latest membership is the pool (it joined, whether its PoE counts there yet or from the next epoch).</summary>
    public static bool IsMember(IStateReader state, ulong pool, Address account) => state.Get(PoolsKeys.MemberIndex(pool, account)) is not null;

    /// <summary>The accounts whose latest membership is the pool, in address order.</summary>
    public static IEnumerable<Address> ReadMembers(IStateReader state, ulong pool) =>
        state.IteratePrefix(PoolsKeys.MemberIndexOf(pool)).Select(kv => PoolsKeys.AccountOfMemberIndexKey(kv.Key));

    /// <summary>
    /// Switches the account's membership to <paramref name="pool"/> (0: none) in <paramref name="epoch"/>, counting from the
    /// next epoch; keeps the member index and both pools' member counts in step. Returns the pool it left (0: none).
    /// </summary>
    public static ulong Switch(StateOverlay state, Address account, ulong pool, ulong epoch)
    {
        var current = ReadMembership(state, account) ?? new PoolMembership(account, 0, 0, 0);
        var left = current.Pool;
        if (left != 0)
        {
            state.Delete(PoolsKeys.MemberIndex(left, account));
            if (ReadPool(state, left) is { } old) WritePool(state, old with { Members = old.Members - 1 });
        }
        if (pool != 0)
        {
            state.Set(PoolsKeys.MemberIndex(pool, account), []);
            var joined = ReadPool(state, pool) ?? throw new InvalidOperationException($"pool {pool} does not exist");
            WritePool(state, joined with { Members = joined.Members + 1 });
        }
        var next = current.SwitchTo(pool, epoch);
        KeepPendingEpochPools(state, current, next);
        if (next.Pool == 0 && next.Previous == 0) state.Delete(PoolsKeys.Membership(account));
        else state.Set(PoolsKeys.Membership(account), next.Encode());
        return left;
    }

    /// <summary>
    /// A membership record answers "which pool in epoch e" only for the last two epochs of changes;
    /// an ended epoch whose tally waits for its PoE report (docs/pools.md, "Tally after the PoE
    /// close") keeps each changed member's pool of that epoch here before the record changes.
    /// </summary>
    private static void KeepPendingEpochPools(StateOverlay state, PoolMembership current, PoolMembership next)
    {
        foreach (var epoch in ReadPendingTallies(state).Select(p => p.Epoch))
        {
            var key = PoolsKeys.EpochPool(epoch, current.Account);
            if (current.PoolOf(epoch) != next.PoolOf(epoch) && state.Get(key) is null) state.Set(key, U64Bytes(current.PoolOf(epoch)));
        }
    }

    /// <summary>Ended epochs waiting to be tallied, oldest first, with each one's last height.</summary>
    public static IReadOnlyList<(ulong Epoch, ulong Height)> ReadPendingTallies(IStateReader state) =>
        state.IteratePrefix(PoolsKeys.AllPendingTallies).Select(kv => (PoolsKeys.EpochOfPendingTally(kv.Key), BinaryPrimitives.ReadUInt64BigEndian(kv.Value))).ToList();

    public static void WritePendingTally(StateOverlay state, ulong epoch, ulong height) => state.Set(PoolsKeys.PendingTally(epoch), U64Bytes(height));

    /// <summary>Whether the epoch has ended and its pools close has not finished (the emission module settles it only after).</summary>
    public static bool IsPendingTally(IStateReader state, ulong epoch) => state.Get(PoolsKeys.PendingTally(epoch)) is not null;

    public static PoolCloseProgress? ReadCloseProgress(IStateReader state) =>
        state.Get(PoolsKeys.CloseProgress) is { } v ? PoolCloseProgress.Decode(v) : null;

    public static void WriteCloseProgress(StateOverlay state, PoolCloseProgress progress) => state.Set(PoolsKeys.CloseProgress, progress.Encode());

    public static PoolCloseSums ReadCloseSums(IStateReader state, ulong epoch, ulong pool) =>
        state.Get(PoolsKeys.CloseSums(epoch, pool)) is { } v ? PoolCloseSums.Decode(v) : PoolCloseSums.Zero;

    /// <summary>Every account's pool in the epoch: the membership records, overridden by what was kept for the epoch (only pools != 0).</summary>
    public static IReadOnlyList<(Address Account, ulong Pool)> ReadEpochMembers(IStateReader state, ulong epoch, IEnumerable<PoolMembership> memberships)
    {
        var pools = new SortedDictionary<Address, ulong>();
        foreach (var m in memberships) pools[m.Account] = m.PoolOf(epoch);
        foreach (var kv in state.IteratePrefix(PoolsKeys.EpochPools(epoch))) pools[PoolsKeys.AccountOfEpochPool(kv.Key)] = BinaryPrimitives.ReadUInt64BigEndian(kv.Value);
        return pools.Where(p => p.Value != 0).Select(p => (p.Key, p.Value)).ToList();
    }

    /// <summary>The epoch is tallied: its pending mark and kept pools go.</summary>
    public static void FinishTally(StateOverlay state, ulong epoch)
    {
        state.Delete(PoolsKeys.PendingTally(epoch));
        foreach (var kv in state.IteratePrefix(PoolsKeys.EpochPools(epoch))) state.Delete(kv.Key);
    }

    private static byte[] U64Bytes(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>
    /// Drops membership records that can no longer matter once epoch <paramref name="closed"/> is closed:
    /// no pool from the next epoch on (a member that left).
    /// </summary>
    public static void Compact(StateOverlay state, PoolMembership membership, ulong closed)
    {
        if (membership.Pool == 0 && membership.FromEpoch <= closed + 1) state.Delete(PoolsKeys.Membership(membership.Account));
    }

    public static void QueueRelease(StateOverlay state, ulong epoch, ulong pool) => state.Set(PoolsKeys.Release(epoch, pool), []);

    public static IReadOnlyList<ulong> ReadReleases(IStateReader state, ulong epoch) =>
        state.IteratePrefix(PoolsKeys.ReleasesOf(epoch)).Select(kv => PoolsKeys.PoolOfReleaseKey(kv.Key)).ToList();

    public static void DeleteRelease(StateOverlay state, ulong epoch, ulong pool) => state.Delete(PoolsKeys.Release(epoch, pool));

    public static PoolEpochStats? ReadStats(IStateReader state, ulong epoch, ulong pool) =>
        state.Get(PoolsKeys.Stats(epoch, pool)) is { } value ? PoolEpochStats.Decode(epoch, pool, value) : null;

    /// <summary>Every pool's stats of a closed epoch, in pool id order.</summary>
    public static IEnumerable<PoolEpochStats> ReadStatsOf(IStateReader state, ulong epoch) =>
        state.IteratePrefix(PoolsKeys.StatsOf(epoch)).Select(kv =>
            PoolEpochStats.Decode(epoch, BinaryPrimitives.ReadUInt64BigEndian(kv.Key.AsSpan(kv.Key.Length - 8)), kv.Value));

    public static void WriteStats(StateOverlay state, PoolEpochStats stats) => state.Set(PoolsKeys.Stats(stats.Epoch, stats.Pool), stats.Encode());

    /// <summary>The contributions to an eligible pool in an epoch, in address order.</summary>
    public static IEnumerable<PoolContribution> ReadContributions(IStateReader state, ulong epoch, ulong pool) =>
        state.IteratePrefix(PoolsKeys.ContributionsOf(epoch, pool)).Select(kv => PoolContribution.Decode(PoolsKeys.AccountOfContributionKey(kv.Key), kv.Value));

    public static void WriteContribution(StateOverlay state, ulong epoch, ulong pool, PoolContribution contribution) =>
        state.Set(PoolsKeys.Contribution(epoch, pool, contribution.Account), contribution.Encode());

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
