using System.Globalization;
using System.Numerics;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Kyc;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>
/// An epoch's pools close, spread over blocks the way the PoE close is (docs/pools.md, "The close
/// spread over blocks"). It starts in the block where the PoE report of the epoch is finished and
/// takes what is left of that block's close budget, then a budget per block: (1) the epoch's
/// members in address order, a chunk per block: each member's PoE and standing into its pool's
/// sums (state key 'A'), and a candidate record per member with PoE ('W'); (2) when none is left,
/// in the same block: rank (O(pools)), each pool's stats, the eligible pools' allotments and their
/// masters' retained parts, paid; (3) the candidates in (pool, address) order, a chunk per block:
/// an eligible pool's member gets its contribution record and its reward, paid; the candidate is
/// deleted; (4) when none is left: the pool_rewarded events, the sums and the pending mark go. The
/// emission module settles the epoch in that block. Every amount is credited and minted as it is
/// paid, pending until the settlement (<see cref="PoeChunkPayment.PayPools"/>). The outcome does not
/// depend on the chunk size: sums are order-free integer additions and each reward depends only on
/// the pool's final sums.
/// </summary>
public static class PoolEpochClose
{
    /// <summary>This block's share of the close of <paramref name="epoch"/> (ended at <paramref name="height"/>); true when it finished in this block.</summary>
    public static bool Advance(BlockHookContext c, ulong epoch, ulong height, ulong budget, PoolsParameters parameters, PoolPoeSource poe,
        Func<ulong, UInt128> availableOf)
    {
        var state = c.State;
        var progress = PoolsState.ReadCloseProgress(state) ?? new PoolCloseProgress(epoch, PoolClosePhase.Tallying, []);
        if (progress.Epoch != epoch) throw new InvalidOperationException($"the pools close of epoch {progress.Epoch} is running but epoch {epoch} was asked to close");
        if (progress.Phase == PoolClosePhase.Tallying)
        {
            ulong used;
            bool finished;
            using (CloseSections.Measure("pools tally")) (progress, used, finished) = TallyChunk(state, progress, height, budget, poe);
            budget -= used;
            if (!finished)
            {
                PoolsState.WriteCloseProgress(state, progress);
                return false;
            }
            using (CloseSections.Measure("pools rank")) Rank(c, epoch, parameters, availableOf(epoch));
            progress = new PoolCloseProgress(epoch, PoolClosePhase.Paying, []);
        }
        bool done;
        using (CloseSections.Measure("pools pay")) (progress, done) = PayChunk(c, progress, budget);
        if (!done)
        {
            PoolsState.WriteCloseProgress(state, progress);
            return false;
        }
        using (CloseSections.Measure("pools finish")) Finish(c, epoch);
        return true;
    }

    /// <summary>
    /// Phase 1, one chunk: the next accounts (address order) of the epoch's membership view (the
    /// membership records, overridden by the pools kept for the pending epoch: a change during the
    /// close never changes an account's pool of the epoch, so the cursor reads a fixed view).
    /// Registration is read when the chunk runs, verification as of the epoch's last height.
    /// </summary>
    private static (PoolCloseProgress Progress, ulong Used, bool Finished) TallyChunk(StateOverlay state, PoolCloseProgress progress, ulong height,
        ulong budget, PoolPoeSource poe)
    {
        var epoch = progress.Epoch;
        Address? after = progress.After is { } a ? new Address(a) : null;
        var limit = PoeEpochClose.PageLimit(budget);
        IReadOnlyList<KeyValuePair<byte[], byte[]>> records, kept;
        using (CloseSections.Measure("pools tally: membership pages"))
        {
            records = state.IteratePrefixFrom(PoolsKeys.AllMemberships, after is { } x ? PoolsKeys.Membership(x) : null, limit);
            kept = state.IteratePrefixFrom(PoolsKeys.EpochPools(epoch), after is { } y ? PoolsKeys.EpochPool(epoch, y) : null, limit);
        }
        // The first `budget` accounts of the merged view are each among the first budget + 1 of its own stream, so both pages hold them.
        var view = new SortedDictionary<Address, (PoolMembership? Record, ulong? Kept)>();
        foreach (var kv in records)
        {
            var m = PoolMembership.Decode(PoolsKeys.AccountOfMembershipKey(kv.Key), kv.Value);
            view[m.Account] = (m, null);
        }
        foreach (var kv in kept)
        {
            var account = PoolsKeys.AccountOfEpochPool(kv.Key);
            view[account] = (view.GetValueOrDefault(account).Record, BinaryPrimitivesU64(kv.Value));
        }
        var take = (int)Math.Min((ulong)view.Count, budget);
        var finished = records.Count < limit && kept.Count < limit && (ulong)view.Count <= budget;
        var pools = new Dictionary<ulong, bool>(); // pool id → counts in the epoch (exists, not deleted before it)
        var sums = new SortedDictionary<ulong, PoolCloseSums>();
        var writes = new List<KeyValuePair<byte[], byte[]?>>();
        Address? last = null;
        var figures = CloseSections.Measure("pools tally: PoE + KYC reads, sums");
        foreach (var (account, (record, keptPool)) in view.Take(take))
        {
            last = account;
            var pool = keptPool ?? record!.PoolOf(epoch);
            if (record is not null) PoolsState.Compact(state, record, epoch);
            if (pool == 0) continue;
            if (!pools.TryGetValue(pool, out var counts))
                pools[pool] = counts = PoolsState.ReadPool(state, pool) is { } p && (!p.Deleted || p.DeletedEpoch >= epoch);
            if (!counts) continue;
            // One thread: the block's committed-read cache is not safe for concurrent reads.
            var accountPoe = poe(state, epoch, account);
            var (registered, verified) = KycState.ReadStanding(state, account, height);
            if (!sums.TryGetValue(pool, out var s)) s = PoolsState.ReadCloseSums(state, epoch, pool);
            sums[pool] = new PoolCloseSums(Amount.Add(s.Poe, accountPoe), s.Members + 1, s.VerifiedMembers + (verified ? 1UL : 0),
                registered && accountPoe > 0 ? Amount.Add(s.PayingPoe, accountPoe) : s.PayingPoe);
            if (accountPoe > 0) writes.Add(new(PoolsKeys.Candidate(epoch, pool, account), new PoolCandidate(accountPoe, registered).Encode()));
        }
        figures.Dispose();
        using var write = CloseSections.Measure("pools tally: writes");
        foreach (var (pool, s) in sums) writes.Add(new(PoolsKeys.CloseSums(epoch, pool), s.Encode()));
        state.PutMany(writes);
        var cursor = last is { } l ? l.ToBytes() : progress.Cursor;
        return (progress with { Cursor = cursor }, (ulong)take, finished);
    }

    /// <summary>
    /// Phase 2, once: every pool of the epoch (not deleted before it) gets its stats: sums, rank,
    /// eligibility (top MaxEligiblePools by PoE among those with MinVerifiedMembers verified members),
    /// its allotment floor(available * PoE / eligible pools' PoE) and its master's retained part
    /// (paid now if the master is registered). The master and retained rate are read now.
    /// </summary>
    private static void Rank(BlockHookContext c, ulong epoch, PoolsParameters parameters, UInt128 available)
    {
        var state = c.State;
        var pools = PoolsState.ReadPools(state).Where(p => !p.Deleted || p.DeletedEpoch >= epoch).ToList();
        var sums = pools.ToDictionary(p => p.Id, p => PoolsState.ReadCloseSums(state, epoch, p.Id));
        var ranks = PoolEpochTally.Rank(pools.Select(p => (p.Id, sums[p.Id].Poe, sums[p.Id].VerifiedMembers)), parameters.MinVerifiedMembers);
        bool Eligible(ulong pool) => ranks.GetValueOrDefault(pool) is var r && r != 0 && r <= parameters.MaxEligiblePools;
        var total = pools.Where(p => Eligible(p.Id)).Aggregate(UInt128.Zero, (sum, p) => Amount.Add(sum, sums[p.Id].Poe));
        var masters = new SortedDictionary<Address, UInt128>();
        foreach (var pool in pools) // id order
        {
            var s = sums[pool.Id];
            var rank = ranks.GetValueOrDefault(pool.Id);
            var eligible = Eligible(pool.Id);
            var allotted = eligible && total > 0 ? MulDiv(available, s.Poe, total) : 0;
            var masterReward = eligible && AccountState.ReadRegistered(state, pool.Master) ? Ppm.Of(allotted, pool.RetainedPpm) : 0;
            PoolsState.WriteStats(state, new PoolEpochStats(epoch, pool.Id, pool.Master, pool.RetainedPpm, s.Poe, s.Members, s.VerifiedMembers, rank, eligible,
                allotted, masterReward, 0, masterReward > 0 ? 1UL : 0));
            c.Emit(ChainEvent.Of(PoolsModule.Events.Tallied, ("epoch", Text(epoch)), ("pool", Text(pool.Id)), ("poe", ChainEvent.Units(s.Poe)),
                ("members", Text(s.Members)), ("verifiedMembers", Text(s.VerifiedMembers)), ("rank", Text(rank)), ("eligible", eligible ? "true" : "false")));
            if (masterReward == 0) continue;
            masters[pool.Master] = Amount.Add(masters.GetValueOrDefault(pool.Master), masterReward);
            c.Emit(ChainEvent.Of(PoolsModule.Events.MasterRewarded, ("epoch", Text(epoch)), ("pool", Text(pool.Id)), ("master", pool.Master.ToString()),
                ("retainedPpm", Text(pool.RetainedPpm)), ("reward", ChainEvent.Units(masterReward))));
        }
        PoeChunkPayment.PayPools(state, masters.Select(m => (m.Key, m.Value)).ToList()); // one payment per master, however many pools it runs
    }

    /// <summary>
    /// Phase 3, one chunk: the next candidates in key order (pool, then address). A member of an
    /// eligible pool gets its contribution and, if registered, floor(members' part * own PoE /
    /// registered members' PoE) of its pool; others are dropped. Each account appears once per
    /// epoch (one pool), so a chunk pays distinct accounts.
    /// </summary>
    private static (PoolCloseProgress Progress, bool Finished) PayChunk(BlockHookContext c, PoolCloseProgress progress, ulong budget)
    {
        var state = c.State;
        var epoch = progress.Epoch;
        var page = state.IteratePrefixFrom(PoolsKeys.CandidatesOf(epoch), progress.After, PoeEpochClose.PageLimit(budget));
        var take = (int)Math.Min((ulong)page.Count, budget);
        var stats = new SortedDictionary<ulong, PoolEpochStats>();
        var sums = new Dictionary<ulong, PoolCloseSums>();
        var writes = new List<KeyValuePair<byte[], byte[]?>>(2 * take);
        var credits = new List<(Address Account, UInt128 Reward)>();
        for (var i = 0; i < take; i++)
        {
            var (key, value) = (page[i].Key, page[i].Value);
            var (pool, account) = PoolsKeys.PoolAndAccountOf(key);
            writes.Add(new(key, null));
            if (!stats.TryGetValue(pool, out var st))
                stats[pool] = st = PoolsState.ReadStats(state, epoch, pool) ?? throw new InvalidOperationException($"pool {pool} has a candidate in epoch {epoch} but no stats");
            if (!st.Eligible) continue;
            if (!sums.TryGetValue(pool, out var s)) sums[pool] = s = PoolsState.ReadCloseSums(state, epoch, pool);
            var candidate = PoolCandidate.Decode(value);
            var membersPart = st.Reward - Ppm.Of(st.Reward, st.RetainedPpm);
            var reward = candidate.Registered && s.PayingPoe > 0 ? MulDiv(membersPart, candidate.Poe, s.PayingPoe) : 0;
            writes.Add(new(PoolsKeys.Contribution(epoch, pool, account), new PoolContribution(account, candidate.Poe, candidate.Registered, reward).Encode()));
            if (reward == 0) continue;
            credits.Add((account, reward));
            stats[pool] = st with { MembersReward = Amount.Add(st.MembersReward, reward), Payments = st.Payments + 1 };
            // One event per paid member (pool, then address order), so a member finds its payout in the block's events.
            c.Emit(ChainEvent.Of(PoolsModule.Events.MemberRewarded, ("epoch", Text(epoch)), ("pool", Text(pool)), ("member", account.ToString()),
                ("poe", ChainEvent.Units(candidate.Poe)), ("reward", ChainEvent.Units(reward))));
        }
        foreach (var st in stats.Values.Where(x => x.Eligible)) PoolsState.WriteStats(state, st);
        state.PutMany(writes);
        PoeChunkPayment.PayPools(state, credits);
        var cursor = take > 0 ? page[take - 1].Key : progress.Cursor;
        return (progress with { Cursor = cursor }, (ulong)page.Count <= budget);
    }

    /// <summary>Phase 4: one pool_rewarded per paid pool, the sums and pending mark go; the emission module settles the epoch later in the block.</summary>
    private static void Finish(BlockHookContext c, ulong epoch)
    {
        var state = c.State;
        foreach (var st in PoolsState.ReadStatsOf(state, epoch).Where(s => s.Eligible && s.Reward > 0).ToList())
        {
            c.Emit(ChainEvent.Of(PoolsModule.Events.Rewarded, ("epoch", Text(epoch)), ("pool", Text(st.Pool)),
                ("allotted", ChainEvent.Units(st.Reward)), ("master", st.Master.ToString()), ("masterReward", ChainEvent.Units(st.MasterReward)),
                ("membersReward", ChainEvent.Units(st.MembersReward)), ("payments", Text(st.Payments))));
        }
        foreach (var kv in state.IteratePrefix(PoolsKeys.CloseSumsOf(epoch)).ToList()) state.Delete(kv.Key);
        state.Delete(PoolsKeys.CloseProgress);
        PoolsState.FinishTally(state, epoch);
    }

    private static UInt128 MulDiv(UInt128 amount, UInt128 part, UInt128 whole) => (UInt128)((BigInteger)amount * part / whole);

    private static ulong BinaryPrimitivesU64(byte[] value) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(value);

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
