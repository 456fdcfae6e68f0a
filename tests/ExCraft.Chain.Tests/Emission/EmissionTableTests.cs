using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Emission;

public class EmissionTableTests
{
    private static readonly EmissionTable Table = EmissionTable.Shared;

    [Fact]
    public void Table_hash_is_the_pinned_constant()
    {
        // Pinned twice: in the code (checked when the table is built) and here, so a change to
        // the arithmetic or to the pinned constant alone fails. The value was also reproduced
        // by an independent 60-digit decimal evaluation (docs/emission.md).
        Assert.Equal("0x68d9ee0d5c376bd96d1e993fbf79e194d39992215a32108c12ce99b5327e4b38", Table.HashHex);
        Assert.Equal(EmissionTable.PinnedHash, Table.HashHex);
    }

    [Fact]
    public void A_genesis_pinning_another_hash_is_refused()
    {
        Table.RequireHash(EmissionTable.PinnedHash.ToUpperInvariant().Replace("0X", "0x"));
        var other = "0x" + new string('0', 64);
        var error = Assert.Throws<InvalidOperationException>(() => Table.RequireHash(other));
        Assert.Contains($"pins emission table hash {other} but this node computes {EmissionTable.PinnedHash}", error.Message);
    }

    [Fact]
    public void Total_over_all_cycles_is_exactly_seven_billion_ext()
    {
        UInt128 sum = 0;
        for (ulong x = 0; x <= EmissionCurve.LastCycle; x++) sum = Amount.Add(sum, Table.Emission(x));
        Assert.Equal(UInt128.Parse("7000000000000000000000000000"), sum);
        Assert.Equal(sum, Table.CumulativeThrough(EmissionCurve.LastCycle));
        Assert.Equal(sum, Table.Range(0, EmissionCurve.LastCycle));
    }

    [Fact]
    public void Untruncated_curve_sums_to_the_spec_figure()
    {
        Assert.Equal((UInt128)7_000_090_002, EmissionCurveTests.RoundToDecimals(Table.UntruncatedTotal, 0));
        Assert.Equal(UInt128.Parse("7000090002330676078403548499"), Table.UntruncatedTotal);
    }

    [Fact]
    public void First_365_cycles_release_1_028_338_469_ext()
    {
        Assert.Equal((UInt128)1_028_338_469, EmissionCurveTests.RoundToDecimals(Table.Range(0, 364), 0));
    }

    [Fact]
    public void Truncation_cuts_only_the_last_cycles()
    {
        // Up to the cap cycle every cycle pays the curve; the cap cycle pays what is left of
        // 7 billion; every later cycle pays nothing.
        Assert.Equal(73_910UL, Table.CapCycle);
        for (ulong x = 0; x < Table.CapCycle; x++) Assert.Equal(EmissionCurve.BaseUnits(x), Table.Emission(x));
        var capAmount = Table.Emission(Table.CapCycle);
        Assert.True(capAmount > 0 && capAmount < EmissionCurve.BaseUnits(Table.CapCycle));
        Assert.Equal(UInt128.Parse("14461619623382620409"), capAmount);
        for (var x = Table.CapCycle + 1; x <= EmissionCurve.LastCycle; x++) Assert.Equal(UInt128.Zero, Table.Emission(x));
        // What the truncated tail would have paid is exactly the excess over 7 billion.
        UInt128 cut = EmissionCurve.BaseUnits(Table.CapCycle) - capAmount;
        for (var x = Table.CapCycle + 1; x <= EmissionCurve.LastCycle; x++) cut += EmissionCurve.BaseUnits(x);
        Assert.Equal(Table.UntruncatedTotal - EmissionTable.TotalBaseUnits, cut);
    }

    [Fact]
    public void Ranges_from_prefix_sums_equal_summing_the_cycles()
    {
        UInt128 running = 0;
        for (ulong x = 0; x <= EmissionCurve.LastCycle; x++)
        {
            running += Table.Emission(x);
            Assert.Equal(running, Table.CumulativeThrough(x));
            Assert.Equal(Table.Emission(x), Table.Range(x, x));
        }
        foreach (var (first, last) in new (ulong, ulong)[] { (0, 0), (5, 216), (216, 10_000), (73_900, 73_920), (100, EmissionCurve.LastCycle) })
        {
            UInt128 sum = 0;
            for (var x = first; x <= last; x++) sum += Table.Emission(x);
            Assert.Equal(sum, Table.Range(first, last));
        }
        Assert.Equal(UInt128.Zero, Table.CumulativeBefore(0));
        Assert.Equal(EmissionTable.TotalBaseUnits, Table.CumulativeBefore(EmissionCurve.CycleCount));
    }

    [Fact]
    public void Bad_cycles_and_ranges_are_refused_with_a_clear_error()
    {
        Assert.Contains("past the schedule's last cycle", Assert.Throws<ArgumentOutOfRangeException>(() => Table.Emission(74_037)).Message);
        Assert.Contains("past the schedule's last cycle", Assert.Throws<ArgumentOutOfRangeException>(() => Table.Range(0, 74_037)).Message);
        Assert.Contains("is after its end", Assert.Throws<ArgumentException>(() => Table.Range(10, 9)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Table.CumulativeBefore(74_038));
    }
}
