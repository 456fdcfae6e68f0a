using ExCraft.Chain.Modules.Emission.Schedule;

namespace ExCraft.Chain.Tests.Emission;

public class EmissionPlotTests
{
    private static readonly EmissionTable Table = EmissionTable.Shared;

    private static int BarHeight(IReadOnlyList<string> lines, int height, int column, int labelWidth)
    {
        var rows = lines.Skip(1).Take(height).ToList();
        return rows.Count(r => r.Length > labelWidth + 2 + column && r[labelWidth + 2 + column] == '#');
    }

    [Fact]
    public void First_year_plot_rises_to_its_peak_near_cycle_216_and_then_falls()
    {
        const int width = 73; // 5 cycles a column
        const int height = 16;
        var lines = EmissionPlot.Render(Table, PlotSpan.FirstYear, width, height);
        Assert.Equal(1 + height + 3, lines.Count);
        Assert.Contains("first year", lines[0]);
        var labelWidth = lines[1].IndexOf('|') - 1;
        var bars = Enumerable.Range(0, width).Select(c => BarHeight(lines, height, c, labelWidth)).ToArray();
        // The curve is flat near its top, so several columns fill the plot; they are one band
        // around the peak cycle 216 (column 43 holds cycles 215..219), rising before and falling after.
        Assert.Equal(height, bars.Max());
        var firstFull = Array.IndexOf(bars, height);
        var lastFull = Array.LastIndexOf(bars, height);
        Assert.All(bars[firstFull..(lastFull + 1)], b => Assert.Equal(height, b));
        Assert.Equal((215UL, 219UL), EmissionPlot.ColumnCycles(43, width, 365));
        Assert.InRange(43, firstFull, lastFull);
        for (var c = 1; c <= firstFull; c++) Assert.True(bars[c] >= bars[c - 1]);
        for (var c = lastFull + 1; c < width; c++) Assert.True(bars[c] <= bars[c - 1]);
        Assert.True(bars[0] < height / 4);
        // The top label is the largest column mean, about 3.29 million EXT.
        Assert.StartsWith("3,29", lines[1].TrimStart());
        Assert.Contains("364", lines[^2]);
    }

    [Fact]
    public void Hundred_year_plot_decays_after_the_first_years()
    {
        var lines = EmissionPlot.Render(Table, PlotSpan.HundredYears, 100, 10);
        var labelWidth = lines[1].IndexOf('|') - 1;
        var bars = Enumerable.Range(0, 100).Select(c => BarHeight(lines, 10, c, labelWidth)).ToArray();
        Assert.Equal(10, bars[0]); // the first year (peak) is inside the first column of 365 cycles
        Assert.True(bars[99] <= 1);
        for (var c = 1; c < 100; c++) Assert.True(bars[c] <= bars[c - 1], $"column {c} is taller than column {c - 1}");
        Assert.Contains("36499", lines[^2]);
        Assert.Contains("mean of about 365 cycles", lines[^1]);
    }

    [Fact]
    public void Plot_is_pure_and_the_same_every_time()
    {
        Assert.Equal(EmissionPlot.Render(Table, PlotSpan.TenYears), EmissionPlot.Render(Table, PlotSpan.TenYears));
    }

    [Fact]
    public void Plot_sizes_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmissionPlot.Render(Table, PlotSpan.FirstYear, width: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmissionPlot.Render(Table, PlotSpan.FirstYear, height: 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmissionPlot.Render(Table, (PlotSpan)7));
    }
}
