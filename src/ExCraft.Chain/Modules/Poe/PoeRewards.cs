using System.Numerics;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>An epoch's PoE payout as the report states it: each entry's reward in order, their sum, and what the wash guard held back.</summary>
public sealed record PoeRewardSplit(IReadOnlyList<UInt128> Rewards, UInt128 Paid, UInt128 EligiblePoe, UInt128 HeldByGuard);

/// <summary>
/// The PoE share's split (docs/poe.md, "Rewards"): registered entries with PoE are eligible; each
/// gets floor(available * PoE / eligible PoE), capped at floor(fees value * cap ppm / 10^6) (the
/// wash guard). Unregistered entries get 0 and do not dilute anyone. What the floors and the caps
/// leave is not paid: the emission module carries it to the next epoch's PoE share. Pure, so the
/// chain and a verifier (excraft poe verify) compute the same from the published entries.
/// </summary>
public static class PoeRewards
{
    public static PoeRewardSplit Compute(IReadOnlyList<(UInt128 Poe, bool Registered, UInt128 FeesValue)> entries, UInt128 available, ulong washCapPpm)
    {
        var eligible = entries.Where(e => e.Registered).Aggregate(BigInteger.Zero, (sum, e) => sum + e.Poe);
        var rewards = new UInt128[entries.Count];
        var held = new UInt128[entries.Count];
        if (eligible > 0)
        {
            // Each entry's reward depends only on its own figures and the totals: computed in parallel, each in its own slot.
            SlotParallel.For(entries.Count, i =>
            {
                var (poe, registered, fees) = entries[i];
                (rewards[i], held[i]) = RewardOf(poe, registered, fees, available, eligible, washCapPpm);
            });
        }
        // Sums of shares never exceed the available share, so these 128-bit sums cannot overflow.
        UInt128 paid = 0, heldTotal = 0;
        for (var i = 0; i < rewards.Length; i++)
        {
            paid += rewards[i];
            heldTotal += held[i];
        }
        return new PoeRewardSplit(rewards, paid, eligible > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)eligible, heldTotal);
    }

    /// <summary>One entry's reward and what the guard held back of its share, given the totals (the close computes these a chunk at a time).</summary>
    public static (UInt128 Reward, UInt128 Held) RewardOf(UInt128 poe, bool registered, UInt128 fees, UInt128 available, BigInteger eligible, ulong washCapPpm)
    {
        if (!registered || poe == 0 || eligible.IsZero) return (0, 0);
        var share = (UInt128)(available * (BigInteger)poe / eligible); // at most available: poe is part of eligible
        var cap = Cap(fees, washCapPpm);
        var reward = cap < share ? cap : share;
        return (reward, share - reward);
    }

    /// <summary>floor(fees * cap ppm / 10^6), saturating at the 128-bit maximum (only a cap far above 10^6 ppm can reach it).</summary>
    private static UInt128 Cap(UInt128 fees, ulong washCapPpm)
    {
        if (washCapPpm == 0 || fees <= UInt128.MaxValue / washCapPpm) return fees * washCapPpm / PoeParameters.PpmDenominator;
        var cap = (BigInteger)fees * washCapPpm / PoeParameters.PpmDenominator;
        return cap > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)cap;
    }
}
