namespace ExCraft.Core.Transactions;

/// <summary>Asset symbols: 2 to 12 characters, upper-case letters and digits, starting with a letter.</summary>
public static class AssetSymbol
{
    public const string Native = "EXT";
    public const int MinLength = 2;
    public const int MaxLength = 12;
    public const int MaxDecimals = 18;

    public static bool IsValid(string symbol, out string error)
    {
        error = "";
        if (symbol.Length is < MinLength or > MaxLength)
        {
            error = $"asset symbol must be {MinLength} to {MaxLength} characters, got '{symbol}'";
            return false;
        }
        if (!char.IsAsciiLetterUpper(symbol[0]) || symbol.Any(c => !char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c)))
        {
            error = $"asset symbol must be upper-case letters and digits starting with a letter, got '{symbol}'";
            return false;
        }
        return true;
    }
}
