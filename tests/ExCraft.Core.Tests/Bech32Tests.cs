using ExCraft.Core.Encoding;

namespace ExCraft.Core.Tests;

/// <summary>
/// Bech32 / Bech32m against the test vectors published in BIP-173 ("Test vectors") and BIP-350
/// ("Test vectors for Bech32m", "Test vectors for v0-v16 native segregated witness addresses").
/// </summary>
public class Bech32Tests
{
    // BIP-173: "The following strings are valid Bech32".
    public static TheoryData<string> ValidBech32 =>
    [
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    ];

    // BIP-350: "The following strings are valid Bech32m".
    public static TheoryData<string> ValidBech32m =>
    [
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    ];

    // BIP-173 "The following string are not valid Bech32" and BIP-350 "... not valid Bech32m", with
    // the reason the BIP gives and a word the FormatException's message must contain.
    public static TheoryData<string, string, string> Invalid => new()
    {
        { "\u0020" + "1nwldj5", "HRP character out of range", "invalid character" },
        { "\u007f" + "1axkwrx", "HRP character out of range", "invalid character" },
        { "\u0080" + "1eym55h", "HRP character out of range", "invalid character" },
        { "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "overall max length exceeded", "too long" },
        { "pzry9x0s0muk", "No separator character", "separator" },
        { "1pzry9x0s0muk", "Empty HRP", "human-readable prefix" },
        { "x1b4n0q5v", "Invalid data character", "invalid character 'b'" },
        { "li1dgmt3", "Too short checksum", "too short" },
        { "de1lg7wt" + "\u00ff", "Invalid character in checksum", "invalid character" },
        { "A1G7SGD8", "checksum calculated with uppercase form of HRP", "checksum" },
        { "10a06t8", "empty HRP", "human-readable prefix" },
        { "1qzzfhee", "empty HRP", "human-readable prefix" },
        // BIP-350
        { "\u0020" + "1xj0phk", "HRP character out of range", "invalid character" },
        { "\u007f" + "1g6xzxy", "HRP character out of range", "invalid character" },
        { "\u0080" + "1vctc34", "HRP character out of range", "invalid character" },
        { "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4", "overall max length exceeded", "too long" },
        { "qyrz8wqd2c9m", "No separator character", "separator" },
        { "1qyrz8wqd2c9m", "Empty HRP", "human-readable prefix" },
        { "y1b0jsk6g", "Invalid data character", "invalid character 'b'" },
        { "lt1igcx5c0", "Invalid data character", "invalid character 'i'" },
        { "in1muywd", "Too short checksum", "too short" },
        { "mm1crxm3i", "Invalid character in checksum", "invalid character 'i'" },
        { "au1s5cgom", "Invalid character in checksum", "invalid character 'o'" },
        { "M1VUXWEZ", "checksum calculated with uppercase form of HRP", "checksum" },
        { "16plkw9", "empty HRP", "human-readable prefix" },
        { "1p2gdwpf", "empty HRP", "human-readable prefix" },
        // BIP-173 / BIP-350 segwit lists: the entries whose fault is in the bech32 layer itself.
        { "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "Mixed case", "mixes upper and lower case" },
        { "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "Mixed case", "mixes upper and lower case" },
        { "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "Invalid checksum", "checksum mismatch" },
        { "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "Invalid character in checksum", "invalid character 'o'" },
    };

    // BIP-350 "valid segwit addresses and the scriptPubKey that they translate to" (v0 is Bech32,
    // v1..v16 are Bech32m).
    public static TheoryData<string, string> ValidSegwit => new()
    {
        { "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6" },
        { "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262" },
        { "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6" },
        { "BC1SW50QGDZ25J", "6002751e" },
        { "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323" },
        { "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433" },
        { "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433" },
        { "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" },
    };

    // BIP-350 invalid segwit addresses whose checksum is valid but of the other variant.
    public static TheoryData<string, Bech32Variant> WrongVariantSegwit => new()
    {
        { "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", Bech32Variant.Bech32 },
        { "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", Bech32Variant.Bech32 },
        { "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", Bech32Variant.Bech32 },
        { "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", Bech32Variant.Bech32m },
        { "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", Bech32Variant.Bech32m },
    };

    [Theory]
    [MemberData(nameof(ValidBech32))]
    public void ValidBech32_DecodesAndReencodesLowerCase(string text)
    {
        var (hrp, words, variant) = Bech32.DecodeWords(text);
        Assert.Equal(Bech32Variant.Bech32, variant);
        Assert.Equal(text[..text.LastIndexOf('1')].ToLowerInvariant(), hrp);
        Assert.Equal(text.ToLowerInvariant(), Bech32.EncodeWords(hrp, words, Bech32Variant.Bech32));
    }

    [Theory]
    [MemberData(nameof(ValidBech32m))]
    public void ValidBech32m_DecodesAsBech32m_AndIsNotBech32(string text)
    {
        var (hrp, words, variant) = Bech32.DecodeWords(text);
        Assert.Equal(Bech32Variant.Bech32m, variant);
        Assert.Equal(text.ToLowerInvariant(), Bech32.EncodeWords(hrp, words, Bech32Variant.Bech32m));
        // "No string can be simultaneously valid Bech32 and Bech32m" (BIP-350).
        var e = Assert.Throws<FormatException>(() => Bech32.Decode(text, Bech32Variant.Bech32));
        Assert.Contains("checksum is for Bech32m, expected Bech32", e.Message);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_ThrowsFormatException_SayingWhy(string text, string reason, string message)
    {
        var e = Assert.Throws<FormatException>(() => Bech32.DecodeWords(text));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{reason}: message was \"{e.Message}\"");
    }

    [Theory]
    [MemberData(nameof(ValidSegwit))]
    public void ValidSegwitAddress_DecodesToScriptPubKey(string address, string scriptPubKey)
    {
        var (_, words, variant) = Bech32.DecodeWords(address);
        var version = words[0];
        Assert.Equal(version == 0 ? Bech32Variant.Bech32 : Bech32Variant.Bech32m, variant);
        var program = Bech32.ConvertBits(words.AsSpan(1), 5, 8, pad: false);
        byte[] script = [(byte)(version == 0 ? 0 : 0x50 + version), (byte)program.Length, .. program];
        Assert.Equal(scriptPubKey, Convert.ToHexStringLower(script));
        // Encoding back (8-to-5 with padding) gives the canonical lower-case address.
        byte[] back = [version, .. Bech32.ConvertBits(program, 8, 5, pad: true)];
        Assert.Equal(address.ToLowerInvariant(), Bech32.EncodeWords(address[..2].ToLowerInvariant(), back, variant));
    }

    [Theory]
    [MemberData(nameof(WrongVariantSegwit))]
    public void SegwitAddressWithOtherVariantsChecksum_IsDetected(string address, Bech32Variant found)
    {
        Assert.Equal(found, Bech32.DecodeWords(address).Variant);
        var expected = found == Bech32Variant.Bech32 ? Bech32Variant.Bech32m : Bech32Variant.Bech32;
        var e = Assert.Throws<FormatException>(() => Bech32.Decode(address, expected));
        Assert.Contains($"checksum is for {found}, expected {expected}", e.Message);
    }

    [Theory]
    // BIP-173 / BIP-350: "zero padding of more than 4 bits" and "Non-zero padding in 8-to-5 conversion".
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du")]
    [InlineData("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf")]
    [InlineData("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j")]
    public void BadPadding_IsRejectedByConvertBits(string address)
    {
        var (_, words, _) = Bech32.DecodeWords(address); // the checksum itself is fine
        var e = Assert.Throws<FormatException>(() => Bech32.ConvertBits(words.AsSpan(1), 5, 8, pad: false));
        Assert.Contains("padding", e.Message);
    }

    [Fact]
    public void EncodeDecode_RoundTrip_BothVariants()
    {
        byte[] data = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x10, 0x20];
        foreach (var variant in new[] { Bech32Variant.Bech32, Bech32Variant.Bech32m })
        {
            var text = Bech32.Encode("test", data, variant);
            Assert.Equal(text, text.ToLowerInvariant());
            var (hrp, decoded) = Bech32.Decode(text.ToUpperInvariant(), variant);
            Assert.Equal("test", hrp);
            Assert.Equal(data, decoded);
        }
    }

    [Fact]
    public void EveryOneCharacterSubstitution_IsDetected()
    {
        var text = Bech32.Encode("ext", Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        for (var i = text.IndexOf('1') + 1; i < text.Length; i++)
        {
            foreach (var c in charset)
            {
                if (c == text[i]) continue;
                var typo = string.Concat(text.AsSpan(0, i), c.ToString(), text.AsSpan(i + 1));
                var e = Assert.Throws<FormatException>(() => Bech32.DecodeWords(typo));
                Assert.Contains("checksum", e.Message);
            }
        }
    }
}
