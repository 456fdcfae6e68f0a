using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>
/// Pays one chunk of a PoE report's rewards as the spread close computes them (docs/poe.md, "The
/// close spread over blocks"): credits the accounts, mints the sum, counts it as minted PoE and as
/// **pending** (minted for an epoch not yet settled). The supply invariant subtracts the pending
/// amount from what is accounted against the settled epochs' release, so it holds in every block;
/// the epoch's settlement checks the pending sum equals the report's paid total and clears it. The
/// emission module stays the only minter: this is its code, called by the PoE close.
/// </summary>
public static class PoeChunkPayment
{
    public static void Pay(StateOverlay state, IReadOnlyList<(Address Account, UInt128 Reward)> rewards)
    {
        UInt128 sum = 0;
        foreach (var r in rewards) sum = Amount.Add(sum, r.Reward);
        if (sum == 0) return;
        RewardCredits.Apply(state, AssetSymbol.Native, rewards);
        new AccountState(state).Mint(AssetSymbol.Native, sum); // the rewards were credited above
        var totals = EmissionState.ReadTotals(state);
        EmissionState.WriteTotals(state, totals with { Minted = totals.Minted + new ShareAmounts(sum, 0, 0) });
        EmissionState.WritePendingPoe(state, EmissionState.ReadPendingPoe(state) + sum);
    }
}
