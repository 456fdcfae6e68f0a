namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>The three spans of the whitepaper's charts, counted in daily cycles from cycle 0.</summary>
public enum PlotSpan
{
    FirstYear,
    TenYears,
    HundredYears,
}

public static class PlotSpans
{
    public static ulong Cycles(this PlotSpan span) => span switch
    {
        PlotSpan.FirstYear => 365,
        PlotSpan.TenYears => 3_650,
        PlotSpan.HundredYears => 36_500,
        _ => throw new ArgumentOutOfRangeException(nameof(span), $"unknown plot span {span}"),
    };

    public static string Title(this PlotSpan span) => span switch
    {
        PlotSpan.FirstYear => "first year",
        PlotSpan.TenYears => "first ten years",
        PlotSpan.HundredYears => "first hundred years",
        _ => throw new ArgumentOutOfRangeException(nameof(span), $"unknown plot span {span}"),
    };
}
