using System.Text;

namespace ExCraft.Core.Encoding;

public enum Bech32Variant { Bech32 = 1, Bech32m = 0x2bc830a3 }

/// <summary>
/// Bech32 (BIP-173) and Bech32m (BIP-350) text encoding. Errors are FormatExceptions that say what
/// is wrong (checksum, case, character, length), because users paste addresses by hand.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const int ChecksumLength = 6;
    private const int MaxLength = 90;
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>Encodes 8-bit data (regrouped to 5-bit words) under a human-readable prefix.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data, Bech32Variant variant = Bech32Variant.Bech32) =>
        EncodeWords(hrp, ConvertBits(data, 8, 5, pad: true), variant);

    /// <summary>Decodes text into its prefix and 8-bit data; the checksum must match the variant.</summary>
    public static (string Hrp, byte[] Data) Decode(string text, Bech32Variant variant = Bech32Variant.Bech32)
    {
        var (hrp, words, found) = DecodeWords(text);
        if (found != variant)
            throw new FormatException($"bech32 checksum is for {found}, expected {variant}");
        return (hrp, ConvertBits(words, 5, 8, pad: false));
    }

    public static string EncodeWords(string hrp, ReadOnlySpan<byte> words, Bech32Variant variant)
    {
        var checksum = CreateChecksum(hrp, words, variant);
        var text = new StringBuilder(hrp.Length + 1 + words.Length + ChecksumLength);
        text.Append(hrp).Append('1');
        foreach (var w in words) text.Append(Charset[w]);
        foreach (var w in checksum) text.Append(Charset[w]);
        return text.ToString();
    }

    /// <summary>Decodes text into prefix and 5-bit words, and tells which checksum variant matched.</summary>
    public static (string Hrp, byte[] Words, Bech32Variant Variant) DecodeWords(string text)
    {
        if (text.Length > MaxLength) throw new FormatException($"bech32 string is too long ({text.Length} > {MaxLength})");
        bool hasLower = false, hasUpper = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 33 || c > 126) throw new FormatException($"bech32 string has an invalid character at position {i}");
            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }
        if (hasLower && hasUpper) throw new FormatException("bech32 string mixes upper and lower case");
        text = text.ToLowerInvariant();
        var separator = text.LastIndexOf('1');
        if (separator < 1) throw new FormatException("bech32 string has no human-readable prefix or no separator '1'");
        if (text.Length - separator - 1 < ChecksumLength) throw new FormatException("bech32 string is too short to hold a checksum");
        var hrp = text[..separator];
        var words = new byte[text.Length - separator - 1];
        for (var i = 0; i < words.Length; i++)
        {
            var index = Charset.IndexOf(text[separator + 1 + i]);
            if (index < 0) throw new FormatException($"bech32 string has invalid character '{text[separator + 1 + i]}' at position {separator + 1 + i}");
            words[i] = (byte)index;
        }
        var residue = Polymod(hrp, words);
        var variant = residue switch
        {
            (uint)Bech32Variant.Bech32 => Bech32Variant.Bech32,
            (uint)Bech32Variant.Bech32m => Bech32Variant.Bech32m,
            _ => throw new FormatException("bech32 checksum mismatch (a character is mistyped)"),
        };
        return (hrp, words[..^ChecksumLength], variant);
    }

    /// <summary>Regroups bits (8 to 5 or 5 to 8). Without padding, leftover bits must be zero and fewer than fromBits.</summary>
    public static byte[] ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var result = new List<byte>(data.Length * fromBits / toBits + 1);
        int accumulator = 0, bits = 0;
        var maxValue = (1 << toBits) - 1;
        foreach (var value in data)
        {
            if (value >> fromBits != 0) throw new FormatException("bech32 data value out of range");
            accumulator = (accumulator << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((accumulator >> bits) & maxValue));
            }
        }
        if (pad)
        {
            if (bits > 0) result.Add((byte)((accumulator << (toBits - bits)) & maxValue));
        }
        else if (bits >= fromBits || ((accumulator << (toBits - bits)) & maxValue) != 0)
        {
            throw new FormatException("bech32 data has invalid padding");
        }
        return [.. result];
    }

    private static byte[] CreateChecksum(string hrp, ReadOnlySpan<byte> words, Bech32Variant variant)
    {
        var values = new byte[words.Length + ChecksumLength];
        words.CopyTo(values);
        var mod = Polymod(hrp, values) ^ (uint)variant;
        var checksum = new byte[ChecksumLength];
        for (var i = 0; i < ChecksumLength; i++) checksum[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        return checksum;
    }

    private static uint Polymod(string hrp, ReadOnlySpan<byte> words)
    {
        uint chk = 1;
        foreach (var c in hrp) chk = Step(chk, (byte)(c >> 5));
        chk = Step(chk, 0);
        foreach (var c in hrp) chk = Step(chk, (byte)(c & 31));
        foreach (var w in words) chk = Step(chk, w);
        return chk;
    }

    private static uint Step(uint chk, byte value)
    {
        var top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ value;
        for (var i = 0; i < 5; i++)
        {
            if (((top >> i) & 1) != 0) chk ^= Generator[i];
        }
        return chk;
    }
}
