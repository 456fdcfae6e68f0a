using ExCraft.Chain.Modules.Emission.Schedule;

namespace ExCraft.Chain.Tests.Emission;

public class EmissionSplitTests
{
    private static readonly EmissionTable Table = EmissionTable.Shared;

    [Fact]
    public void Shares_over_all_cycles_are_exactly_4_1_and_2_billion_ext_and_never_more_than_released()
    {
        var plan = new EmissionPlan(Table, firstCycle: 0);
        var paid = ShareAmounts.Zero;
        for (ulong epoch = 0; epoch < plan.PayingEpochs; epoch++)
        {
            var split = plan.SplitOfEpoch(epoch);
            paid += split;
            var released = Table.CumulativeThrough(epoch);
            // Each share has exactly its floor of the running total: dust waits, never lost.
            Assert.Equal(released / 7, paid.Pools);
            Assert.Equal(2 * released / 7, paid.ProofOfStake);
            Assert.Equal(4 * released / 7, paid.ProofOfExistence);
            Assert.True(paid.Total <= released && released - paid.Total <= 2, $"epoch {epoch}: {released - paid.Total} base units in flight");
        }
        Assert.Equal(UInt128.Parse("4000000000000000000000000000"), paid.ProofOfExistence);
        Assert.Equal(UInt128.Parse("1000000000000000000000000000"), paid.Pools);
        Assert.Equal(UInt128.Parse("2000000000000000000000000000"), paid.ProofOfStake);
        Assert.Equal(EmissionTable.TotalBaseUnits, paid.Total);
    }

    [Fact]
    public void A_cycle_split_is_its_release_in_sevenths_give_or_take_the_carried_dust()
    {
        var plan = new EmissionPlan(Table, firstCycle: 0);
        var split = plan.SplitOfEpoch(0);
        var y0 = Table.Emission(0);
        Assert.Equal(y0 / 7, split.Pools);
        Assert.Equal(2 * y0 / 7, split.ProofOfStake);
        Assert.Equal(4 * y0 / 7, split.ProofOfExistence);
        // Dust of cycle 0 shows up in cycle 1 of the same share.
        var both = split + plan.SplitOfEpoch(1);
        var y01 = y0 + Table.Emission(1);
        Assert.Equal(y01 / 7, both.Pools);
        Assert.Equal(2 * y01 / 7, both.ProofOfStake);
        Assert.Equal(4 * y01 / 7, both.ProofOfExistence);
    }

    [Fact]
    public void Closing_split_hands_the_last_dust_to_poe()
    {
        // 10 base units: floors give 1 + 2 + 5 = 8; closing, PoE takes the 2 in flight.
        Assert.Equal(new ShareAmounts(5, 1, 2), EmissionSplit.OfRunningTotal(10, closing: false));
        Assert.Equal(new ShareAmounts(7, 1, 2), EmissionSplit.OfRunningTotal(10, closing: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmissionSplit.OfRunningTotal(EmissionTable.TotalBaseUnits + 1, closing: false));
    }

    [Fact]
    public void Range_split_equals_the_sum_of_its_cycles()
    {
        var plan = new EmissionPlan(Table, firstCycle: 0);
        var sum = ShareAmounts.Zero;
        for (ulong epoch = 100; epoch <= 1_000; epoch++) sum += plan.SplitOfEpoch(epoch);
        Assert.Equal(sum, plan.SplitOfEpochs(100, 1_000));
        // Released in the range = paid in the range + dust in flight at its end - dust in flight before it.
        Assert.Equal(Table.Range(100, 1_000), sum.Total + InFlight(plan, 1_000) - InFlight(plan, 99));
        Assert.Throws<ArgumentException>(() => plan.SplitOfEpochs(5, 4));
    }

    private static UInt128 InFlight(EmissionPlan plan, ulong epoch) => plan.ReleasedThroughEpoch(epoch) - plan.SplitThroughEpoch(epoch).Total;
}
