using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>
/// SPEC 1's supply invariant, checked at the end of every block in constant time (a handful of
/// key reads, no scan of balances): the EXT supply that accounts and staking maintain equals
/// genesis + minted + bridged in - bridged out - burned; it never exceeds the 10 billion EXT hard
/// cap; and for each share, what the schedule released through the settled epochs equals what
/// was minted plus what is carried. A violation throws: the block is not committed and the node
/// stops rather than write a wrong supply.
/// </summary>
public static class SupplyInvariant
{
    public static readonly UInt128 HardCap = Amount.FromWhole(10_000_000_000);

    public static void Check(IStateReader state, EmissionPlan plan)
    {
        var totals = EmissionState.ReadTotals(state);
        var supply = AccountState.ReadAsset(state, AssetSymbol.Native)?.Supply ?? 0;
        var burned = AccountState.ReadBurned(state, AssetSymbol.Native);
        var expected = totals.ExpectedSupply(burned);
        if (supply != expected)
            throw new InvalidOperationException($"supply invariant broken: EXT supply is {supply} but genesis {totals.GenesisSupply} + minted {totals.Minted.Total} + bridged in {totals.BridgedIn} - bridged out {totals.BridgedOut} - burned {burned} = {expected}");
        if (supply > HardCap) throw new InvalidOperationException($"supply invariant broken: EXT supply {supply} is above the hard cap {HardCap}");
        var released = totals.EpochsSettled == 0 ? ShareAmounts.Zero : plan.SplitThroughEpoch(totals.EpochsSettled - 1);
        // PoE and pools rewards credited chunk by chunk for an epoch still closing are minted but belong to no settled epoch yet.
        var accounted = totals.Minted - EmissionState.ReadPending(state) + EmissionState.ReadCarry(state).Carried;
        if (released != accounted)
            throw new InvalidOperationException($"emission invariant broken: released {released} but minted + carried is {accounted}");
    }
}
