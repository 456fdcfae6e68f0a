using System.Globalization;
using System.Numerics;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Tests;

public class Secp256k1Tests
{
    private const string GeneratorUncompressed =
        "0x0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
    private const string GeneratorCompressed = "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private const string OrderHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    private static readonly BigInteger N = BigInteger.Parse("0" + OrderHex, NumberStyles.HexNumber);

    private static byte[] Hash(string text) => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(text));

    private static byte[] ToBytes32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }

    private static BigInteger FromBytes(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>The same (r, s) with s' = n - s and the recovery id flipped: a valid but high-S ECDSA signature.</summary>
    private static Signature ToHighS(Signature low)
    {
        var s = FromBytes(low.S);
        return Signature.FromParts(low.R, ToBytes32(N - s), (byte)(low.RecoveryId ^ 1));
    }

    [Fact]
    public void PrivateKeyOne_GivesGenerator()
    {
        var one = new byte[32];
        one[31] = 1;
        var key = new PrivateKey(one);
        Assert.Equal(GeneratorUncompressed, Hex.Encode(key.PublicKey.Uncompressed));
        Assert.Equal(GeneratorCompressed, Hex.Encode(key.PublicKey.Compressed));
        Assert.Equal("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf", key.Address.ToHex());
    }

    [Fact]
    public void WellKnownKey_GivesWellKnownAddress()
    {
        var key = PrivateKey.FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
        Assert.Equal("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23", key.Address.ToHex());
        Assert.Equal(key.Address, key.PublicKey.Address);
        Assert.Equal("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", key.ToHex());
    }

    [Fact]
    public void Eip155Example_SignatureMatchesSpec()
    {
        // EIP-155 "Example": the signing data's keccak256 is the signing hash; signed with 0x46..46
        // it gives v = 37 (chain id 1: v = 35 + 2 * 1 + recovery id, so recovery id 0) and the r, s below.
        var signingData = Hex.Decode("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
        var hash = Keccak256.Hash(signingData);
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(hash));

        var key = PrivateKey.FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");
        var signature = key.Sign(hash);

        var r = BigInteger.Parse("18515461264373351373200002665853028612451056578545711640558177340181847433846");
        var s = BigInteger.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531");
        Assert.Equal("0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276", Hex.Encode(ToBytes32(r)));
        Assert.Equal("0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", Hex.Encode(ToBytes32(s)));
        Assert.Equal(ToBytes32(r), signature.R);
        Assert.Equal(ToBytes32(s), signature.S);
        Assert.Equal(37 - 35 - 2 * 1, signature.RecoveryId);
        Assert.True(signature.IsLowS);

        Assert.True(Secp256k1Recovery.TryRecoverAddress(hash, signature, out var signer, out var error), error);
        Assert.Equal("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f", signer.ToHex());
        Assert.Equal(key.Address, signer);
    }

    [Fact]
    public void SignRecoverVerify_RoundTrip()
    {
        var key = PrivateKey.Generate();
        var hash = Hash("round trip");
        var signature = key.Sign(hash);

        Assert.True(signature.IsLowS);
        Assert.InRange(signature.RecoveryId, (byte)0, (byte)1);
        Assert.True(Secp256k1Recovery.TryRecover(hash, signature, out var recovered, out var error), error);
        Assert.Equal("", error);
        Assert.Equal(key.PublicKey, recovered);
        Assert.Equal(key.PublicKey.Uncompressed, recovered!.Uncompressed);
        Assert.True(Secp256k1Recovery.TryRecoverAddress(hash, signature, out var address, out _));
        Assert.Equal(key.Address, address);

        Assert.True(key.PublicKey.Verify(hash, signature));
        Assert.False(key.PublicKey.Verify(Hash("other message"), signature));
        Assert.False(PrivateKey.Generate().PublicKey.Verify(hash, signature));
    }

    [Fact]
    public void SignatureBytes_RoundTrip()
    {
        var signature = PrivateKey.Generate().Sign(Hash("bytes"));
        var bytes = signature.ToBytes();
        Assert.Equal(65, bytes.Length);
        var copy = new Signature(bytes);
        Assert.Equal(signature, copy);
        Assert.True(signature == copy);
        Assert.Equal(signature.GetHashCode(), copy.GetHashCode());
        Assert.Equal(Hex.Encode(bytes), signature.ToString());
        Assert.Equal(bytes[..32], signature.R);
        Assert.Equal(bytes[32..64], signature.S);
        Assert.Equal(bytes[64], signature.RecoveryId);
    }

    [Fact]
    public void Rfc6979_IsDeterministic()
    {
        var key = PrivateKey.FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
        var hash = Hash("deterministic");
        var first = key.Sign(hash);
        var second = key.Sign(hash);
        Assert.Equal(first.ToBytes(), second.ToBytes());
        Assert.Equal(first.ToBytes(), new PrivateKey(key.ToBytes()).Sign(hash).ToBytes());
        Assert.NotEqual(first, key.Sign(Hash("deterministic!")));
    }

    [Fact]
    public void HighS_IsRejectedByRecoveryAndVerify()
    {
        var key = PrivateKey.Generate();
        var hash = Hash("malleable");
        var low = key.Sign(hash);
        var high = ToHighS(low);

        Assert.True(low.IsLowS);
        Assert.False(high.IsLowS);
        Assert.Equal(N, FromBytes(low.S) + FromBytes(high.S));

        Assert.False(Secp256k1Recovery.TryRecover(hash, high, out var recovered, out var error));
        Assert.Null(recovered);
        Assert.Equal("signature s is high (s > n/2); only low-S signatures are accepted", error);
        Assert.False(Secp256k1Recovery.TryRecoverAddress(hash, high, out var address, out error));
        Assert.Equal(default, address);
        Assert.Contains("high", error);
        Assert.False(key.PublicKey.Verify(hash, high));
    }

    [Fact]
    public void ZeroAndOutOfRangeScalars_AreRejected()
    {
        var hash = Hash("ranges");
        var good = PrivateKey.Generate().Sign(hash);
        var zero = new byte[32];
        var order = Hex.Decode(OrderHex);

        AssertRejected(Signature.FromParts(zero, good.S, good.RecoveryId), "signature r is zero");
        AssertRejected(Signature.FromParts(order, good.S, good.RecoveryId), "signature r is not below the curve order");
        AssertRejected(Signature.FromParts(good.R, zero, good.RecoveryId), "signature s is zero");
        AssertRejected(Signature.FromParts(good.R, order, good.RecoveryId), "signature s is not below the curve order");
        AssertRejected(default, "signature r is zero");

        void AssertRejected(Signature signature, string expected)
        {
            Assert.False(Secp256k1Recovery.TryRecover(hash, signature, out var key, out var error));
            Assert.Null(key);
            Assert.Equal(expected, error);
        }
    }

    [Fact]
    public void WrongHashLength_IsAnError()
    {
        var signature = PrivateKey.Generate().Sign(Hash("x"));
        Assert.False(Secp256k1Recovery.TryRecoverAddress(new byte[31], signature, out _, out var error));
        Assert.Equal("hash must be 32 bytes, got 31", error);
        Assert.Throws<ArgumentException>(() => PrivateKey.Generate().Sign(new byte[33]));
    }

    [Fact]
    public void RecoveryId_MustBeZeroOrOne()
    {
        var bytes = PrivateKey.Generate().Sign(Hash("v")).ToBytes();
        bytes[64] = 27;
        var e = Assert.Throws<FormatException>(() => new Signature(bytes));
        Assert.Equal("recovery id must be 0 or 1, got 27", e.Message);
        Assert.False(Signature.TryParse(bytes, out var parsed, out var error));
        Assert.Equal("recovery id must be 0 or 1, got 27", error);
        Assert.Equal(default, parsed);

        bytes[64] = 2;
        Assert.Equal("recovery id must be 0 or 1, got 2", Assert.Throws<FormatException>(() => new Signature(bytes)).Message);
    }

    [Fact]
    public void SignatureLength_IsChecked()
    {
        var e = Assert.Throws<FormatException>(() => new Signature(new byte[64]));
        Assert.Equal("a signature is 65 bytes (r || s || recovery id), got 64", e.Message);
        Assert.False(Signature.TryParse(new byte[66], out _, out var error));
        Assert.Equal("a signature is 65 bytes (r || s || recovery id), got 66", error);
        Assert.True(Signature.TryParse(new byte[65], out _, out error));
        Assert.Equal("", error);
    }

    [Fact]
    public void FlippedRecoveryId_RecoversSomeoneElse()
    {
        var key = PrivateKey.Generate();
        var hash = Hash("flip");
        var signature = key.Sign(hash);
        var flipped = Signature.FromParts(signature.R, signature.S, (byte)(signature.RecoveryId ^ 1));
        if (Secp256k1Recovery.TryRecoverAddress(hash, flipped, out var other, out _))
            Assert.NotEqual(key.Address, other);
    }

    [Fact]
    public void IsLowS_Boundary()
    {
        var half = (N - 1) / 2;
        var r = ToBytes32(BigInteger.One);
        Assert.True(Signature.FromParts(r, ToBytes32(half), 0).IsLowS);
        Assert.False(Signature.FromParts(r, ToBytes32(half + 1), 0).IsLowS);
    }

    [Fact]
    public void PrivateKey_RangeIsChecked()
    {
        Assert.Equal("private key must not be zero (Parameter 'secret32')",
            Assert.Throws<ArgumentException>(() => new PrivateKey(new byte[32])).Message);
        Assert.Equal("private key must be below the secp256k1 curve order (Parameter 'secret32')",
            Assert.Throws<ArgumentException>(() => new PrivateKey(ToBytes32(N))).Message);
        Assert.Throws<ArgumentException>(() => new PrivateKey(ToBytes32(N + 1)));
        Assert.Throws<ArgumentException>(() => new PrivateKey(new byte[31]));
        Assert.Throws<FormatException>(() => PrivateKey.FromHex("0xzz"));

        var max = new PrivateKey(ToBytes32(N - 1));
        // (n-1)·G = -G: same x as G, odd y.
        Assert.Equal("0x0379be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", Hex.Encode(max.PublicKey.Compressed));
    }

    [Fact]
    public void PrivateKey_GenerateAndHex()
    {
        var a = PrivateKey.Generate();
        var b = PrivateKey.Generate();
        Assert.NotEqual(a.ToBytes(), b.ToBytes());
        Assert.Matches("^0x[0-9a-f]{64}$", a.ToHex());
        Assert.Equal(a.ToBytes(), PrivateKey.FromHex(a.ToHex()).ToBytes());
        Assert.Equal(a.Address, PrivateKey.FromHex(a.ToHex()[2..]).Address);
        Assert.DoesNotContain(a.ToHex()[2..], a.ToString());
    }

    [Fact]
    public void PublicKey_ParsesBothEncodings()
    {
        var key = PrivateKey.Generate().PublicKey;
        var fromCompressed = new PublicKey(key.Compressed);
        var fromUncompressed = new PublicKey(key.Uncompressed);
        Assert.Equal(key, fromCompressed);
        Assert.Equal(key, fromUncompressed);
        Assert.Equal(key.Uncompressed, fromCompressed.Uncompressed);
        Assert.Equal(key.Compressed, fromUncompressed.Compressed);
        Assert.Equal(key.Address, fromCompressed.Address);
        Assert.Equal(Address.FromUncompressedPublicKey(key.Uncompressed), key.Address);

        // properties hand out copies
        key.Uncompressed[1] ^= 0xff;
        Assert.Equal(fromUncompressed.Uncompressed, key.Uncompressed);
    }

    [Fact]
    public void PublicKey_RejectsBadEncodings()
    {
        var g = Hex.Decode(GeneratorUncompressed);
        var offCurve = (byte[])g.Clone();
        offCurve[64] ^= 1;
        Assert.Equal("public key is not a point on the secp256k1 curve",
            Assert.Throws<FormatException>(() => new PublicKey(offCurve)).Message);

        // x = 5 has no point on secp256k1 (5^3 + 7 = 132 is not a square mod p)
        var noSuchX = new byte[33];
        noSuchX[0] = 0x02;
        noSuchX[32] = 5;
        Assert.Throws<FormatException>(() => new PublicKey(noSuchX));

        var hybrid = (byte[])g.Clone();
        hybrid[0] = 0x06;
        Assert.Equal("public key of 65 bytes has an invalid prefix 0x06",
            Assert.Throws<FormatException>(() => new PublicKey(hybrid)).Message);

        Assert.Equal("a public key is 33 bytes (compressed) or 65 bytes (uncompressed), got 64",
            Assert.Throws<FormatException>(() => new PublicKey(g[1..])).Message);
        Assert.False(PublicKey.TryParse(new byte[33], out var none, out var error));
        Assert.Null(none);
        Assert.Equal("public key of 33 bytes has an invalid prefix 0x00", error);
    }

    [Fact]
    public void ConcurrentSigningAndRecovery_AreConsistent()
    {
        var keys = Enumerable.Range(0, 8).Select(_ => PrivateKey.Generate()).ToArray();
        Parallel.For(0, 400, i =>
        {
            var key = keys[i % keys.Length];
            var hash = Hash($"concurrent {i}");
            var signature = key.Sign(hash);
            Assert.True(Secp256k1Recovery.TryRecoverAddress(hash, signature, out var address, out var error), error);
            Assert.Equal(key.Address, address);
            Assert.True(key.PublicKey.Verify(hash, signature));
        });
    }

    /// <summary>
    /// The node needs nothing from the system's package manager: the libsecp256k1 mapped into this
    /// process is the copy the Secp256k1.Net package put under the application's runtimes folder,
    /// even on a machine where a system libsecp256k1 is also installed.
    /// </summary>
    [Fact]
    public void NativeLibrary_IsTheCopyBundledWithThePackage()
    {
        var path = Secp256k1NativeLibrary.LoadedPath();
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(path);
            return;
        }
        Assert.NotNull(path);
        Assert.StartsWith(Path.GetFullPath(AppContext.BaseDirectory), path);
        Assert.Contains("/runtimes/", path);
        Assert.EndsWith("/native/libsecp256k1.so", path);
    }
}
