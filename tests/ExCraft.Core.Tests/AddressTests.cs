using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;

namespace ExCraft.Core.Tests;

public class AddressTests
{
    // Private key 1: public key = G, Ethereum address 0x7e5f...5bdf (a well-known value).
    private const string KeyOneHex = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf";
    // bech32("ext", those 20 bytes), computed independently with the BIP-173 reference algorithm.
    private const string KeyOneBech32 = "ext10e0525sfrf53yh2aljmm3sn9jq5njk7llcss0z";

    private static PrivateKey KeyOne()
    {
        var one = new byte[32];
        one[31] = 1;
        return new PrivateKey(one);
    }

    [Fact]
    public void KnownKey_GivesBech32AndHexForms()
    {
        var address = KeyOne().Address;
        Assert.Equal(KeyOneHex, address.ToHex());
        Assert.Equal(KeyOneBech32, address.ToString());
        Assert.Equal(Hex.Decode(KeyOneHex), address.ToBytes());
    }

    [Theory]
    [InlineData(0, "0x29bc2e6e1e3fd708b9ba26945c9313d74ed61d78", "ext19x7zums78lts3wd6y629eycn6a8dv8tckzsrwz")]
    [InlineData(1, "0xcae06b2699ead972718a3245462c8013d487fe59", "ext1etsxkf5eatvhyuv2xfz5vtyqz02g0lje33fz9m")]
    public void DevAccounts_HaveTheirPublishedAddresses(int index, string hex, string bech32)
    {
        // The same values ethers v6 gives for computeAddress(keccak256("excraft dev account N")).
        var address = DevKeys.Account(index).Address;
        Assert.Equal(hex, address.ToHex());
        Assert.Equal(bech32, address.ToString());
    }

    [Fact]
    public void DevValidator_HasItsPublishedAddress()
    {
        Assert.Equal("0xa8f95c6f65ff1e3492671542bcb9feccba15b9cf", DevKeys.Validator.Address.ToHex());
        Assert.Equal("ext14ru4cmm9lu0rfyn8z4ptew07ejaptww0azfw75", DevKeys.Validator.Address.ToString());
    }

    [Theory]
    [InlineData(KeyOneBech32)]
    [InlineData("EXT10E0525SFRF53YH2ALJMM3SN9JQ5NJK7LLCSS0Z")] // all upper case is valid bech32
    [InlineData(KeyOneHex)]
    [InlineData("0x7E5F4552091A69125D5DFCB7B8C2659029395BDF")]
    [InlineData("0X7e5f4552091a69125d5dfcb7b8c2659029395bdf")]
    public void Parse_AcceptsBech32AndHex(string text)
    {
        Assert.Equal(KeyOne().Address, Address.Parse(text));
        Assert.True(Address.TryParse(text, out var address, out var error));
        Assert.Equal("", error);
        Assert.Equal(KeyOne().Address, address);
    }

    [Fact]
    public void OneCharacterTypo_IsAChecksumError()
    {
        // 'e' -> 'a' in the data part.
        var typo = "ext10a0525sfrf53yh2aljmm3sn9jq5njk7llcss0z";
        Assert.NotEqual(KeyOneBech32, typo);
        Assert.False(Address.TryParse(typo, out _, out var error));
        Assert.Contains("checksum", error);
        Assert.Contains("checksum", Assert.Throws<FormatException>(() => Address.Parse(typo)).Message);

        // Every single-character substitution anywhere after the separator is caught the same way.
        const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        for (var i = 4; i < KeyOneBech32.Length; i++)
        {
            foreach (var c in charset.Where(c => c != KeyOneBech32[i]))
            {
                var text = string.Concat(KeyOneBech32.AsSpan(0, i), c.ToString(), KeyOneBech32.AsSpan(i + 1));
                Assert.False(Address.TryParse(text, out _, out var e), text);
                Assert.Contains("checksum", e);
            }
        }
    }

    [Fact]
    public void MixedCase_IsRejected()
    {
        Assert.False(Address.TryParse("ext10e0525sfrf53yh2aljmm3sn9jq5njk7llcss0Z", out _, out var error));
        Assert.Contains("mixes upper and lower case", error);
    }

    [Fact]
    public void WrongPrefix_SaysWhichPrefixIsExpected()
    {
        // The same 20 bytes under Bitcoin's "bc" prefix.
        var bc = Bech32.Encode("bc", KeyOne().Address.ToBytes());
        Assert.Equal("bc10e0525sfrf53yh2aljmm3sn9jq5njk7lvrn73t", bc);
        Assert.False(Address.TryParse(bc, out _, out var error));
        Assert.Equal("address prefix must be 'ext', got 'bc'", error);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Address.Parse(bc)).Message);
    }

    [Theory]
    // Real Bitcoin addresses pasted by mistake (BIP-173 / BIP-350 vectors): a segwit v0 address
    // (Bech32, a 5-bit version word in front of its program) and a taproot address (Bech32m).
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")]
    public void BitcoinAddress_IsRejectedForItsPrefix(string text)
    {
        Assert.False(Address.TryParse(text, out _, out var error));
        Assert.Equal("address prefix must be 'ext', got 'bc'", error);
    }

    [Fact]
    public void Bech32mChecksum_IsRejected()
    {
        var text = Bech32.Encode("ext", KeyOne().Address.ToBytes(), Bech32Variant.Bech32m);
        Assert.False(Address.TryParse(text, out _, out var error));
        Assert.Equal("invalid address: bech32 checksum is for Bech32m, expected Bech32", error);
    }

    [Fact]
    public void NonZeroPadding_IsRejected()
    {
        // 20 bytes are 160 bits = 32 five-bit words exactly; a 33rd word is padding that cannot hold data.
        var words = Bech32.ConvertBits(KeyOne().Address.ToBytes(), 8, 5, pad: true);
        Assert.Equal(32, words.Length);
        var text = Bech32.EncodeWords("ext", [.. words, 0], Bech32Variant.Bech32);
        Assert.False(Address.TryParse(text, out _, out var error));
        Assert.Equal("invalid address: bech32 data has invalid padding", error);
    }

    [Fact]
    public void WrongLength_IsRejected()
    {
        var longer = Bech32.Encode("ext", new byte[21]);
        Assert.False(Address.TryParse(longer, out _, out var error));
        Assert.Equal("address must hold 20 bytes, got 21", error);

        var shorter = Bech32.Encode("ext", new byte[19]);
        Assert.False(Address.TryParse(shorter, out _, out error));
        Assert.Equal("address must hold 20 bytes, got 19", error);

        Assert.False(Address.TryParse("0x7e5f4552091a69125d5dfcb7b8c2659029395b", out _, out error));
        Assert.Equal("hex address must be 20 bytes, got 19", error);
        Assert.False(Address.TryParse("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf00", out _, out error));
        Assert.Equal("hex address must be 20 bytes, got 21", error);
        Assert.False(Address.TryParse("0x7e5f4552091a69125d5dfcb7b8c2659029395bd", out _, out error));
        Assert.Contains("odd number of digits", error);
        Assert.False(Address.TryParse("0x7e5f4552091a69125d5dfcb7b8c2659029395bdg", out _, out error));
        Assert.Contains("invalid hex character 'g'", error);

        Assert.Throws<ArgumentException>(() => new Address(new byte[19]));
    }

    [Theory]
    [InlineData(" ext10e0525sfrf53yh2aljmm3sn9jq5njk7llcss0z")]
    [InlineData("ext10e0525sfrf53yh2aljmm3sn9jq5njk7llcss0z ")]
    [InlineData("  ext10e0525sfrf53yh2aljmm3sn9jq5njk7llcss0z \n")]
    [InlineData("\t0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")]
    [InlineData("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf\r\n")]
    public void SurroundingWhitespace_IsRejected(string text)
    {
        Assert.False(Address.TryParse(text, out _, out var error));
        Assert.Equal("address has a leading or trailing space or line break; remove it", error);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Address.Parse(text)).Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_IsRejected(string? text)
    {
        Assert.False(Address.TryParse(text, out _, out var error));
        Assert.Equal("address is empty", error);
    }

    [Fact]
    public void CompareTo_IsByteOrder()
    {
        var addresses = new List<byte[]>();
        // Differences in the first, a middle (the 8/16 byte boundaries of the three integers) and the last byte.
        foreach (var position in new[] { 0, 7, 8, 15, 16, 19 })
        {
            foreach (var value in new byte[] { 0x00, 0x01, 0x7f, 0x80, 0xff })
            {
                var bytes = new byte[20];
                Array.Fill(bytes, (byte)0x55);
                bytes[position] = value;
                addresses.Add(bytes);
            }
        }
        var random = new Random(9545);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[20];
            random.NextBytes(bytes);
            addresses.Add(bytes);
        }
        addresses.Add(new byte[20]);
        addresses.Add(Enumerable.Repeat((byte)0xff, 20).ToArray());

        foreach (var a in addresses)
        {
            foreach (var b in addresses)
            {
                var expected = Math.Sign(a.AsSpan().SequenceCompareTo(b));
                Assert.Equal(expected, Math.Sign(new Address(a).CompareTo(new Address(b))));
                Assert.Equal(expected == 0, new Address(a) == new Address(b));
            }
        }
        var sorted = addresses.Select(a => new Address(a)).Order().Select(a => a.ToHex()).ToList();
        var bytewise = addresses.OrderBy(a => a, Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).Select(a => Hex.Encode(a)).ToList();
        Assert.Equal(bytewise, sorted);
    }

    [Fact]
    public void Equality_HashAndBytes_RoundTrip()
    {
        var a = DevKeys.Account(3).Address;
        var b = new Address(a.ToBytes());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a.Equals((object)b));
        Assert.NotEqual(a, DevKeys.Account(4).Address);
        Assert.Equal(Address.Zero, new Address(new byte[20]));
        Assert.Equal(a, Address.Parse(a.ToString()));
        Assert.Equal(a, Address.Parse(a.ToHex()));
    }

    [Fact]
    public void FromUncompressedPublicKey_RejectsOtherForms()
    {
        var key = KeyOne().PublicKey;
        Assert.Equal(KeyOne().Address, Address.FromUncompressedPublicKey(key.Uncompressed));
        Assert.Throws<ArgumentException>(() => Address.FromUncompressedPublicKey(key.Compressed));
    }
}
