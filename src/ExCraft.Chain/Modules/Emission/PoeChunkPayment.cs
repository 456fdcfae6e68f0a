using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>
/// Pays one chunk of a closing epoch's PoE or pools rewards as the spread close computes them
/// (docs/poe.md, "The close spread over blocks"; docs/pools.md, "The close spread over blocks"):
/// credits the accounts, mints the sum, counts it as minted for the share and as **pending**
/// (minted for an epoch not yet settled). The supply invariant subtracts the pending amounts from
/// what is accounted against the settled epochs' release, so it holds in every block; the epoch's
/// settlement checks the pending sums and clears them. The emission module stays the only minter:
/// this is its code, called by the PoE and pools closes.
/// </summary>
public static class PoeChunkPayment
{
    /// <summary>A chunk of PoE rewards (distinct accounts).</summary>
    public static void Pay(StateOverlay state, IReadOnlyList<(Address Account, UInt128 Reward)> rewards) => Pay(state, EmissionShare.ProofOfExistence, rewards);

    /// <summary>A chunk of pools rewards (distinct accounts: a chunk pays each account at most once).</summary>
    public static void PayPools(StateOverlay state, IReadOnlyList<(Address Account, UInt128 Reward)> rewards) => Pay(state, EmissionShare.Pools, rewards);

    private static void Pay(StateOverlay state, EmissionShare share, IReadOnlyList<(Address Account, UInt128 Reward)> rewards)
    {
        UInt128 sum = 0;
        foreach (var r in rewards) sum = Amount.Add(sum, r.Reward);
        if (sum == 0) return;
        RewardCredits.Apply(state, AssetSymbol.Native, rewards);
        new AccountState(state).Mint(AssetSymbol.Native, sum); // the rewards were credited above
        var totals = EmissionState.ReadTotals(state);
        var minted = share == EmissionShare.Pools ? new ShareAmounts(0, sum, 0) : new ShareAmounts(sum, 0, 0);
        EmissionState.WriteTotals(state, totals with { Minted = totals.Minted + minted });
        if (share == EmissionShare.Pools) EmissionState.WritePendingPools(state, EmissionState.ReadPendingPools(state) + sum);
        else EmissionState.WritePendingPoe(state, EmissionState.ReadPendingPoe(state) + sum);
    }
}
