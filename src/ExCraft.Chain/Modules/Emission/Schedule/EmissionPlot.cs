using System.Globalization;
using System.Text;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>
/// The schedule drawn as text, like the whitepaper's "Daily Rewards Tokens Released" charts:
/// one column per group of cycles (the group's mean release), bars of '#' up to the column's
/// height, the y axis in whole EXT and the x axis in cycles. Pure: it returns the lines and
/// prints nothing, and uses integer arithmetic only, so the same table always draws the same plot.
/// </summary>
public static class EmissionPlot
{
    public const int MinWidth = 10;
    public const int MaxWidth = 400;
    public const int MinHeight = 4;
    public const int MaxHeight = 200;

    private static readonly UInt128 BaseUnitsPerExt = Amount.Pow10(Amount.ExtDecimals);

    /// <param name="width">Plot columns (not counting the axis labels); at most one column per cycle.</param>
    /// <param name="height">Plot rows.</param>
    public static IReadOnlyList<string> Render(EmissionTable table, PlotSpan span, int width = 72, int height = 16)
    {
        if (width is < MinWidth or > MaxWidth) throw new ArgumentOutOfRangeException(nameof(width), $"width must be {MinWidth}..{MaxWidth} columns");
        if (height is < MinHeight or > MaxHeight) throw new ArgumentOutOfRangeException(nameof(height), $"height must be {MinHeight}..{MaxHeight} rows");

        var cycles = span.Cycles();
        var columns = (int)Math.Min((ulong)width, cycles);
        var means = new UInt128[columns];
        for (var c = 0; c < columns; c++)
        {
            var (first, last) = ColumnCycles(c, columns, cycles);
            means[c] = table.Range(first, last) / (last - first + 1);
        }
        var top = means.Max();
        if (top == 0) top = 1;

        // Bar height in rows, rounded to the nearest row; a non-zero mean too small for a row shows as '.'.
        var levels = means.Select(m => (int)((2 * m * (ulong)height + top) / (2 * top))).ToArray();

        var topLabel = WholeExt(top);
        var labelWidth = topLabel.Length;
        var lines = new List<string>
        {
            $"EXT released per cycle, {span.Title()} (cycles 0..{cycles - 1}; one cycle is one epoch, a day on mainnet)",
        };
        for (var row = height; row >= 1; row--)
        {
            // Labels on the top, middle and bottom rows: the EXT value that row stands for.
            var label = row == height || row == (height + 1) / 2 || row == 1
                ? WholeExt(top * (ulong)row / (ulong)height)
                : "";
            var bar = new StringBuilder(columns);
            for (var c = 0; c < columns; c++)
            {
                bar.Append(levels[c] >= row ? '#' : row == 1 && means[c] > 0 ? '.' : ' ');
            }
            lines.Add($"{label.PadLeft(labelWidth)} |{bar.ToString().TrimEnd()}");
        }
        lines.Add($"{"0".PadLeft(labelWidth)} +{new string('-', columns)}");
        lines.Add(AxisLabels(labelWidth, columns, cycles));
        var perColumn = (cycles + (ulong)columns / 2) / (ulong)columns; // nearest whole number
        lines.Add(perColumn == 1
            ? "each column is one cycle"
            : $"each column is the mean of about {perColumn.ToString(CultureInfo.InvariantCulture)} cycles");
        return lines;
    }

    /// <summary>Cycles first..last of column c when cycles are spread evenly over the columns.</summary>
    public static (ulong First, ulong Last) ColumnCycles(int column, int columns, ulong cycles)
    {
        var first = (ulong)column * cycles / (ulong)columns;
        var last = ((ulong)column + 1) * cycles / (ulong)columns - 1;
        return (first, last);
    }

    private static string AxisLabels(int labelWidth, int columns, ulong cycles)
    {
        // Cycle numbers under the left edge, the middle and the right edge of the plot.
        var axis = new char[labelWidth + 2 + columns + 8];
        Array.Fill(axis, ' ');
        void Put(int column, string text)
        {
            var start = Math.Clamp(labelWidth + 2 + column - text.Length / 2, 0, axis.Length - text.Length);
            text.CopyTo(0, axis, start, text.Length);
        }
        Put(0, "0");
        Put(columns / 2, (cycles / 2).ToString(CultureInfo.InvariantCulture));
        Put(columns - 1, (cycles - 1).ToString(CultureInfo.InvariantCulture));
        return new string(axis).TrimEnd();
    }

    private static string WholeExt(UInt128 baseUnits) =>
        ((ulong)(baseUnits / BaseUnitsPerExt)).ToString("N0", CultureInfo.InvariantCulture);
}
