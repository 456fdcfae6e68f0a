using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>
/// Pays the pools share of a closed epoch (called from the emission module's epoch end, which
/// mints what this credits: emission stays the only minter). It reads what the pools module's
/// epoch end recorded in the same block (eligible pools' stats and their members' contributed
/// PoE), splits with <see cref="PoolRewardSplit"/>, credits the liquid EXT balances, writes the
/// rewards back into the stats and contributions, and returns what it paid; the rest carries.
/// </summary>
public static class PoolPayouts
{
    public sealed record Result(UInt128 Paid, ulong Payments);

    public static Result Pay(StateOverlay state, ulong epoch, UInt128 available, Action<ChainEvent> emit)
    {
        var eligible = PoolsState.ReadStatsOf(state, epoch).Where(s => s.Eligible).ToList();
        var inputs = eligible.Select(s => new PoolShareInput(s.Pool, s.Poe, s.Master, AccountState.ReadRegistered(state, s.Master), s.RetainedPpm,
            PoolsState.ReadContributions(state, epoch, s.Pool).Select(c => new PoolMemberTally(c.Account, c.Poe, false, c.Registered)).ToList())).ToList();
        var results = PoolRewardSplit.Split(available, inputs).ToDictionary(r => r.Pool);
        var accounts = new AccountState(state);
        UInt128 paid = 0;
        ulong payments = 0;
        foreach (var stats in eligible)
        {
            if (!results.TryGetValue(stats.Pool, out var result)) continue;
            var pool = stats.Pool.ToString(CultureInfo.InvariantCulture);
            accounts.Credit(stats.Master, AssetSymbol.Native, result.MasterReward);
            if (result.MasterReward > 0)
                emit(ChainEvent.Of(PoolsModule.Events.MasterRewarded, ("epoch", Text(epoch)), ("pool", pool), ("master", stats.Master.ToString()),
                    ("retainedPpm", Text(stats.RetainedPpm)), ("reward", ChainEvent.Units(result.MasterReward))));
            var rewards = result.MemberRewards.ToDictionary(r => r.Account, r => r.Reward);
            foreach (var contribution in PoolsState.ReadContributions(state, epoch, stats.Pool).ToList())
            {
                if (!rewards.TryGetValue(contribution.Account, out var reward)) continue;
                accounts.Credit(contribution.Account, AssetSymbol.Native, reward);
                PoolsState.WriteContribution(state, epoch, stats.Pool, contribution with { Reward = reward });
                // One event per paid member (address order), so a member finds its payout in the block's events.
                emit(ChainEvent.Of(PoolsModule.Events.MemberRewarded, ("epoch", Text(epoch)), ("pool", pool), ("member", contribution.Account.ToString()),
                    ("poe", ChainEvent.Units(contribution.Poe)), ("reward", ChainEvent.Units(reward))));
            }
            var count = (ulong)rewards.Count + (result.MasterReward > 0 ? 1UL : 0);
            PoolsState.WriteStats(state, stats with { Reward = result.Allotted, MasterReward = result.MasterReward, MembersReward = result.MembersReward, Payments = count });
            paid = Amount.Add(paid, result.Paid);
            payments += count;
            emit(ChainEvent.Of(PoolsModule.Events.Rewarded, ("epoch", Text(epoch)), ("pool", pool),
                ("allotted", ChainEvent.Units(result.Allotted)), ("master", stats.Master.ToString()), ("masterReward", ChainEvent.Units(result.MasterReward)),
                ("membersReward", ChainEvent.Units(result.MembersReward)), ("payments", Text(count))));
        }
        return new Result(paid, payments);
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
