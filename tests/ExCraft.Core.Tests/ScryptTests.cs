using ExCraft.Core.Encoding;
using ExCraft.Core.Keys;
using Utf8 = System.Text.Encoding;

namespace ExCraft.Core.Tests;

public class ScryptTests
{
    // RFC 7914 section 12.
    [Theory]
    [InlineData("", "", 16, 1, 1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    [InlineData("pleaseletmein", "SodiumChloride", 16384, 8, 1,
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")]
    public void OwnImplementation_MatchesRfc7914(string password, string salt, int n, int r, int p, string expected)
    {
        var dk = Scrypt.DeriveRfc7914(Utf8.UTF8.GetBytes(password), Utf8.UTF8.GetBytes(salt), n, r, p, 64);
        Assert.Equal(expected, Hex.Encode(dk, prefix: false));
        Assert.Equal(expected, Hex.Encode(Scrypt.Derive(Utf8.UTF8.GetBytes(password), Utf8.UTF8.GetBytes(salt), n, r, p, 64), prefix: false));
    }

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(1024, 1, 3)]
    [InlineData(256, 3, 2)]
    [InlineData(32768, 1, 1)]
    public void OwnImplementation_MatchesBouncyCastle(int n, int r, int p)
    {
        var password = Utf8.UTF8.GetBytes("cross-check");
        var salt = Hex.Decode("ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19");
        Assert.Equal(
            Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(password, salt, n, r, p, 32),
            Scrypt.DeriveRfc7914(password, salt, n, r, p, 32));
    }

    [Fact]
    public void BouncyCastle_RefusesLargeNWithROne_SoTheFallbackIsNeeded()
    {
        Assert.False(Scrypt.BouncyCastleAccepts(262144, 1));
        Assert.True(Scrypt.BouncyCastleAccepts(262144, 8));
        Assert.Throws<ArgumentException>(() => Org.BouncyCastle.Crypto.Generators.SCrypt.Generate([1], [2], 65536, 1, 1, 32));
        Assert.Equal(32, Scrypt.Derive([1], [2], 65536, 1, 1, 32).Length);
    }
}
