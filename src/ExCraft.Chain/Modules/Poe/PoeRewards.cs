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
        BigInteger paid = 0, held = 0;
        if (eligible > 0)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var (poe, registered, fees) = entries[i];
                if (!registered || poe == 0) continue;
                var share = available * (BigInteger)poe / eligible;
                var cap = (BigInteger)fees * washCapPpm / PoeParameters.PpmDenominator;
                var reward = BigInteger.Min(share, cap);
                rewards[i] = (UInt128)reward;
                paid += reward;
                held += share - reward;
            }
        }
        return new PoeRewardSplit(rewards, (UInt128)paid, eligible > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)eligible, (UInt128)held);
    }
}
