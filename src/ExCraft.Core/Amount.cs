using System.Globalization;
using System.Numerics;

namespace ExCraft.Core;

/// <summary>
/// Token amounts in base units as UInt128 (EXT has 18 decimals). Arithmetic is checked: an
/// overflow or underflow throws instead of wrapping, because a wrapped balance is a minted coin.
/// Decimal text is parsed and formatted exactly, with no floating point.
/// </summary>
public static class Amount
{
    public const int ExtDecimals = 18;
    public const int MaxDecimals = 30;

    public static UInt128 Add(UInt128 a, UInt128 b) => checked(a + b);

    public static UInt128 Subtract(UInt128 a, UInt128 b) =>
        a >= b ? a - b : throw new OverflowException($"amount underflow: {a} - {b}");

    public static UInt128 Multiply(UInt128 a, UInt128 b) => checked(a * b);

    public static UInt128 Pow10(int decimals)
    {
        if (decimals is < 0 or > MaxDecimals) throw new ArgumentOutOfRangeException(nameof(decimals), $"decimals must be 0..{MaxDecimals}");
        UInt128 value = 1;
        for (var i = 0; i < decimals; i++) value *= 10;
        return value;
    }

    /// <summary>Whole tokens to base units, e.g. FromWhole(5, 18) = 5 * 10^18.</summary>
    public static UInt128 FromWhole(ulong whole, int decimals = ExtDecimals) => Multiply(whole, Pow10(decimals));

    /// <summary>Parses decimal text such as "12.5" into base units; more fractional digits than decimals is an error.</summary>
    public static UInt128 Parse(string text, int decimals = ExtDecimals)
    {
        if (!TryParse(text, decimals, out var value, out var error)) throw new FormatException(error);
        return value;
    }

    public static bool TryParse(string? text, int decimals, out UInt128 value, out string error)
    {
        value = 0;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "amount is empty"; return false; }
        text = text.Trim();
        var dot = text.IndexOf('.');
        var wholePart = dot < 0 ? text : text[..dot];
        var fractionPart = dot < 0 ? "" : text[(dot + 1)..];
        if (wholePart.Length == 0 && fractionPart.Length == 0) { error = $"'{text}' is not an amount"; return false; }
        foreach (var c in wholePart.Concat(fractionPart))
        {
            if (!char.IsAsciiDigit(c)) { error = $"'{text}' is not a decimal amount (unexpected '{c}')"; return false; }
        }
        if (fractionPart.Length > decimals)
        {
            error = $"'{text}' has {fractionPart.Length} decimal places; this asset has {decimals}";
            return false;
        }
        var digits = (wholePart.Length == 0 ? "0" : wholePart) + fractionPart.PadRight(decimals, '0');
        var big = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (big > (BigInteger)UInt128.MaxValue) { error = $"'{text}' is too large"; return false; }
        value = (UInt128)big;
        return true;
    }

    /// <summary>Formats base units as decimal text without trailing fractional zeros ("12.5", "3").</summary>
    public static string Format(UInt128 value, int decimals = ExtDecimals)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        if (decimals == 0) return digits;
        digits = digits.PadLeft(decimals + 1, '0');
        var whole = digits[..^decimals];
        var fraction = digits[^decimals..].TrimEnd('0');
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }
}
