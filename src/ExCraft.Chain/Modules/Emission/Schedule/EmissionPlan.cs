namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>
/// The schedule as one chain pays it. Genesis sets first_cycle: the first schedule cycle this
/// chain pays, because cycles before it were paid elsewhere (the Ethereum reward contract a
/// migrating chain takes over from). Epoch e pays cycle first_cycle + e; once the cycles run out
/// an epoch pays nothing. So every cycle is paid exactly once, here or there, and this chain
/// releases exactly the sum of cycles first_cycle..74,036. The split into shares runs on this
/// chain's own running total (<see cref="EmissionSplit"/>), closing at its last paying epoch.
/// </summary>
public sealed class EmissionPlan
{
    private readonly EmissionTable table;

    /// <param name="firstCycle">0..74,037; 74,037 means the whole schedule was paid elsewhere.</param>
    public EmissionPlan(EmissionTable table, ulong firstCycle)
    {
        if (firstCycle > EmissionCurve.CycleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(firstCycle), $"first_cycle {firstCycle} is past the schedule's end: cycles are 0..{EmissionCurve.LastCycle}, and {EmissionCurve.CycleCount} means all were paid before this chain");
        }
        this.table = table;
        FirstCycle = firstCycle;
        AlreadyPaid = table.CumulativeBefore(firstCycle);
        Total = EmissionTable.TotalBaseUnits - AlreadyPaid;
        // The split closes in the epoch that pays the table's cap cycle, the last with anything to release.
        ClosingEpoch = firstCycle <= table.CapCycle ? table.CapCycle - firstCycle : null;
    }

    public ulong FirstCycle { get; }

    /// <summary>Base units released by cycles before <see cref="FirstCycle"/> (paid elsewhere).</summary>
    public UInt128 AlreadyPaid { get; }

    /// <summary>Base units this chain releases over its whole life.</summary>
    public UInt128 Total { get; }

    /// <summary>The epoch whose cycle completes the schedule, or null if nothing is left to release.</summary>
    public ulong? ClosingEpoch { get; }

    /// <summary>Number of epochs that pay a schedule cycle.</summary>
    public ulong PayingEpochs => EmissionCurve.CycleCount - FirstCycle;

    /// <summary>The schedule cycle epoch pays, or null past the schedule's end.</summary>
    public ulong? CycleOfEpoch(ulong epoch) => epoch < PayingEpochs ? FirstCycle + epoch : null;

    /// <summary>Base units released in this epoch (0 past the schedule's end).</summary>
    public UInt128 EmissionOfEpoch(ulong epoch) => CycleOfEpoch(epoch) is { } cycle ? table.Emission(cycle) : 0;

    /// <summary>Base units released in epochs 0..epoch inclusive.</summary>
    public UInt128 ReleasedThroughEpoch(ulong epoch)
    {
        var lastCycle = epoch < PayingEpochs ? FirstCycle + epoch : EmissionCurve.LastCycle;
        return PayingEpochs == 0 ? 0 : table.CumulativeThrough(lastCycle) - AlreadyPaid;
    }

    /// <summary>What each share receives from this epoch's release, dust included (see <see cref="EmissionSplit"/>).</summary>
    public ShareAmounts SplitOfEpoch(ulong epoch) => SplitThroughEpoch(epoch) - SplitBeforeEpoch(epoch);

    /// <summary>What each share receives in epochs first..last inclusive.</summary>
    public ShareAmounts SplitOfEpochs(ulong first, ulong last)
    {
        if (first > last) throw new ArgumentException($"range start {first} is after its end {last}", nameof(first));
        return SplitThroughEpoch(last) - SplitBeforeEpoch(first);
    }

    /// <summary>What each share has received in epochs 0..epoch inclusive.</summary>
    public ShareAmounts SplitThroughEpoch(ulong epoch) =>
        EmissionSplit.OfRunningTotal(ReleasedThroughEpoch(epoch), closing: ClosingEpoch is { } closing && epoch >= closing);

    private ShareAmounts SplitBeforeEpoch(ulong epoch) => epoch == 0 ? ShareAmounts.Zero : SplitThroughEpoch(epoch - 1);
}
