using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Chain.Modules.SwapOffers;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>The EXT supply breakdown (docs/emission.md "Supply"); circulating = supply - bonded - unbonding - HTLC escrow - swap offer escrow - pool stakes.</summary>
public sealed record SupplyView(
    UInt128 Supply, UInt128 HardCap, UInt128 Genesis, ShareAmounts Minted, ShareAmounts Released, ShareAmounts Carried,
    UInt128 Burned, UInt128 BridgedIn, UInt128 BridgedOut, UInt128 Bonded, UInt128 Unbonding, UInt128 HtlcEscrow, UInt128 SwapOfferEscrow, UInt128 PoolStakes, UInt128 Circulating,
    ulong EpochsSettled, ulong FirstCycle);

/// <summary>One schedule cycle: its release, and where this chain pays it, the epoch and that epoch's split.</summary>
public sealed record CycleView(ulong Cycle, UInt128 Release, ulong? Epoch, ShareAmounts? Split);

/// <summary>Cycles first..last: their total release, and the split this chain pays for the part of the range it pays.</summary>
public sealed record RangeView(ulong First, ulong Last, UInt128 Release, UInt128 PaidElsewhere, ShareAmounts Split);

/// <summary>An account's PoS rewards received so far (paid automatically to its balance at each epoch end).</summary>
public sealed record RewardView(Address Account, UInt128 Total, ulong? LastEpoch);

/// <summary>The emission module's read API over a state reader (JSON-RPC maps its records).</summary>
public sealed class EmissionQueries(IStateReader state, EmissionPlan plan)
{
    public SupplyView Supply()
    {
        var totals = EmissionState.ReadTotals(state);
        var supply = AccountState.ReadAsset(state, AssetSymbol.Native)?.Supply ?? 0;
        var bonded = StakingState.ReadValidators(state).Aggregate(UInt128.Zero, (sum, v) => Amount.Add(sum, v.Tokens));
        var unbonding = StakingState.ReadUnbondingTotal(state);
        var escrow = HtlcState.ReadLocked(state, AssetSymbol.Native);
        var offerEscrow = SwapOfferState.ReadEscrow(state, AssetSymbol.Native);
        var poolStakes = PoolsState.ReadLocked(state);
        var locked = Amount.Add(Amount.Add(Amount.Add(bonded, unbonding), escrow), Amount.Add(offerEscrow, poolStakes));
        var released = totals.EpochsSettled == 0 ? ShareAmounts.Zero : plan.SplitThroughEpoch(totals.EpochsSettled - 1);
        return new SupplyView(supply, SupplyInvariant.HardCap, totals.GenesisSupply, totals.Minted, released, EmissionState.ReadCarry(state).Carried,
            AccountState.ReadBurned(state, AssetSymbol.Native), totals.BridgedIn, totals.BridgedOut, bonded, unbonding, escrow, offerEscrow, poolStakes,
            supply >= locked ? supply - locked : 0, totals.EpochsSettled, plan.FirstCycle);
    }

    /// <summary>One cycle (0..74,036); an out-of-range cycle is an ArgumentOutOfRangeException naming the range.</summary>
    public CycleView Cycle(ulong cycle)
    {
        var release = EmissionTable.Shared.Emission(cycle);
        if (cycle < plan.FirstCycle) return new CycleView(cycle, release, null, null);
        var epoch = cycle - plan.FirstCycle;
        return new CycleView(cycle, release, epoch, plan.SplitOfEpoch(epoch));
    }

    public RangeView Range(ulong first, ulong last)
    {
        var table = EmissionTable.Shared;
        var release = table.Range(first, last);
        var paidElsewhere = first < plan.FirstCycle ? table.Range(first, Math.Min(last, plan.FirstCycle - 1)) : 0;
        var split = last < plan.FirstCycle ? ShareAmounts.Zero
            : plan.SplitOfEpochs(Math.Max(first, plan.FirstCycle) - plan.FirstCycle, last - plan.FirstCycle);
        return new RangeView(first, last, release, paidElsewhere, split);
    }

    public RewardView Rewards(Address account)
    {
        var (total, last) = EmissionState.ReadReward(state, account);
        return new RewardView(account, total, last);
    }
}
