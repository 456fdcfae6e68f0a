using System.Globalization;
using System.Numerics;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli;

/// <summary>
/// Rates (commission, slashing) as the user writes them, converted exactly to parts per million:
/// a decimal fraction ("0.05", at most 6 decimal places) or a percentage ("5%", "2.5%", at most 4
/// decimal places), from 0 to 100%. Nothing is rounded: more precision than 1 ppm is an error.
/// </summary>
public static class CommissionRate
{
    private const int FractionPlaces = 6; // 1 ppm = 0.000001
    private const int PercentPlaces = 4;  // 1 ppm = 0.0001%

    public static bool TryParse(string? text, out uint ppm, out string error)
    {
        ppm = 0;
        error = "";
        var trimmed = text?.Trim() ?? "";
        var percent = trimmed.EndsWith('%');
        var number = percent ? trimmed[..^1].TrimEnd() : trimmed;
        var dot = number.IndexOf('.');
        var whole = dot < 0 ? number : number[..dot];
        var fraction = (dot < 0 ? "" : number[(dot + 1)..]).TrimEnd('0');
        if (number.Length == 0 || number == "." || !whole.All(char.IsAsciiDigit) || !(dot < 0 ? "" : number[(dot + 1)..]).All(char.IsAsciiDigit))
        {
            error = $"'{trimmed}' is not a rate: write a fraction such as 0.05 or a percentage such as 5%";
            return false;
        }
        var places = percent ? PercentPlaces : FractionPlaces;
        if (fraction.Length > places)
        {
            error = $"'{trimmed}' is more precise than 1 ppm (at most {FractionPlaces} decimal places as a fraction, {PercentPlaces} as a percentage)";
            return false;
        }
        var value = BigInteger.Parse((whole.Length == 0 ? "0" : whole) + fraction.PadRight(places, '0'), CultureInfo.InvariantCulture);
        if (value > Ppm.One)
        {
            error = percent
                ? $"'{trimmed}' is above 100%"
                : $"'{trimmed}' is above 100% (a bare number is a fraction: write {trimmed}% for a percentage)";
            return false;
        }
        ppm = (uint)value;
        return true;
    }

    public static uint Parse(string text) => TryParse(text, out var ppm, out var error) ? ppm : throw new FormatException(error);

    /// <summary>Parts per million as an exact percentage: 50000 is "5%", 125 is "0.0125%".</summary>
    public static string Format(uint ppm)
    {
        var whole = ppm / 10_000;
        var fraction = (ppm % 10_000).ToString("D4", CultureInfo.InvariantCulture).TrimEnd('0');
        return fraction.Length == 0 ? $"{whole}%" : $"{whole}.{fraction}%";
    }
}
