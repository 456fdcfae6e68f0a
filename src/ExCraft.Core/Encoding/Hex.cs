namespace ExCraft.Core.Encoding;

/// <summary>Hex text for bytes: lower-case with a 0x prefix on output, 0x optional on input.</summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true) =>
        prefix ? "0x" + Convert.ToHexStringLower(bytes) : Convert.ToHexStringLower(bytes);

    /// <summary>Decodes hex with or without 0x; throws FormatException saying what is wrong.</summary>
    public static byte[] Decode(string text)
    {
        if (!TryDecode(text, out var bytes, out var error)) throw new FormatException(error);
        return bytes;
    }

    public static bool TryDecode(string? text, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        if (text is null) { error = "hex string is missing"; return false; }
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        if (digits.Length % 2 != 0) { error = $"hex string has an odd number of digits ({digits.Length})"; return false; }
        for (var i = 0; i < digits.Length; i++)
        {
            if (!char.IsAsciiHexDigit(digits[i])) { error = $"invalid hex character '{digits[i]}' at position {i}"; return false; }
        }
        bytes = Convert.FromHexString(digits);
        return true;
    }
}
