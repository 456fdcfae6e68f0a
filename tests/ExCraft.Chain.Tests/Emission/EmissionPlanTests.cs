using ExCraft.Chain.Modules.Emission.Schedule;

namespace ExCraft.Chain.Tests.Emission;

public class EmissionPlanTests
{
    private static readonly EmissionTable Table = EmissionTable.Shared;

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(216UL)]
    [InlineData(1_234UL)]
    [InlineData(73_910UL)] // the cap cycle itself
    [InlineData(73_911UL)] // after the cap: nothing left to pay
    [InlineData(74_036UL)]
    [InlineData(74_037UL)] // everything paid elsewhere
    public void Chain_started_at_first_cycle_pays_every_remaining_cycle_once_and_nothing_else(ulong firstCycle)
    {
        var plan = new EmissionPlan(Table, firstCycle);
        var paidHere = new SortedSet<ulong>();
        UInt128 releasedHere = 0;
        var splitHere = ShareAmounts.Zero;
        // Bounded: one step per schedule cycle plus a few epochs past the end.
        for (ulong epoch = 0; epoch < plan.PayingEpochs + 3; epoch++)
        {
            if (plan.CycleOfEpoch(epoch) is { } cycle)
            {
                Assert.Equal(firstCycle + epoch, cycle);
                Assert.True(paidHere.Add(cycle), $"cycle {cycle} paid twice");
                Assert.Equal(Table.Emission(cycle), plan.EmissionOfEpoch(epoch));
            }
            else
            {
                Assert.True(epoch >= plan.PayingEpochs);
                Assert.Equal(UInt128.Zero, plan.EmissionOfEpoch(epoch));
            }
            releasedHere += plan.EmissionOfEpoch(epoch);
            Assert.Equal(releasedHere, plan.ReleasedThroughEpoch(epoch));
            splitHere += plan.SplitOfEpoch(epoch);
        }

        // Cycles before first_cycle were paid elsewhere, the rest here: each cycle exactly once.
        Assert.Equal(EmissionCurve.CycleCount - firstCycle, (ulong)paidHere.Count);
        Assert.True(paidHere.Count == 0 || paidHere.Min == firstCycle);
        Assert.Equal(Table.CumulativeBefore(firstCycle), plan.AlreadyPaid);
        Assert.Equal(EmissionTable.TotalBaseUnits, plan.AlreadyPaid + releasedHere);
        Assert.Equal(plan.Total, releasedHere);
        // The split of this chain adds up to exactly what it released.
        Assert.Equal(releasedHere, splitHere.Total);
    }

    [Fact]
    public void A_mid_way_chain_splits_its_own_release_and_closes_with_no_dust()
    {
        // 1,234 leaves a total that is not a multiple of 7, so the closing epoch matters.
        var plan = new EmissionPlan(Table, firstCycle: 1_234);
        Assert.NotEqual(UInt128.Zero, plan.Total % 7);
        Assert.Equal(Table.CapCycle - 1_234, plan.ClosingEpoch);
        var beforeClose = plan.SplitThroughEpoch(plan.ClosingEpoch!.Value - 1);
        var atClose = plan.SplitThroughEpoch(plan.ClosingEpoch.Value);
        Assert.Equal(plan.Total, atClose.Total);
        Assert.Equal(plan.Total / 7, atClose.Pools);
        Assert.Equal(2 * plan.Total / 7, atClose.ProofOfStake);
        Assert.True(atClose.ProofOfExistence >= beforeClose.ProofOfExistence);
        // Later epochs release and split nothing.
        Assert.Equal(ShareAmounts.Zero, plan.SplitOfEpoch(plan.ClosingEpoch.Value + 1));
        Assert.Equal(ShareAmounts.Zero, plan.SplitOfEpoch(plan.PayingEpochs + 10));
    }

    [Fact]
    public void First_cycle_past_the_schedule_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EmissionPlan(Table, 74_038));
        Assert.Contains("first_cycle 74038 is past the schedule's end", error.Message);
    }

    [Fact]
    public void Huge_epochs_pay_nothing_instead_of_overflowing()
    {
        var plan = new EmissionPlan(Table, 100);
        Assert.Null(plan.CycleOfEpoch(ulong.MaxValue));
        Assert.Equal(UInt128.Zero, plan.EmissionOfEpoch(ulong.MaxValue));
        Assert.Equal(plan.Total, plan.ReleasedThroughEpoch(ulong.MaxValue));
    }
}
