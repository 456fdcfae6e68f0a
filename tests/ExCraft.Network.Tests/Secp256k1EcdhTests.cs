using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Network.Tests;

public sealed class Secp256k1EcdhTests
{
    [Fact]
    public void BothSides_DeriveTheSameSecret()
    {
        for (var i = 0; i < 8; i++)
        {
            var a = PrivateKey.Generate();
            var b = PrivateKey.Generate();
            var ab = Secp256k1Ecdh.SharedSecret(a, b.PublicKey);
            var ba = Secp256k1Ecdh.SharedSecret(b, a.PublicKey);
            Assert.Equal(32, ab.Length);
            Assert.Equal(ab, ba);
            Assert.NotEqual(ab, Secp256k1Ecdh.SharedSecret(a, PrivateKey.Generate().PublicKey));
        }
    }

    /// <summary>
    /// Published vector from Bit-Wasp/secp256k1-php tests/secp256k1_ecdh_basic.phpt, which calls
    /// libsecp256k1's secp256k1_ecdh with its default hash: priv1 = 0x41 * 32, priv2 = 0x40 * 32,
    /// ecdh(pub(priv1), priv2).
    /// </summary>
    [Fact]
    public void KnownVector_FromSecp256k1Php()
    {
        var priv1 = new PrivateKey(Enumerable.Repeat((byte)0x41, 32).ToArray());
        var priv2 = new PrivateKey(Enumerable.Repeat((byte)0x40, 32).ToArray());
        var expected = "0x238c14f420887f8e9bfa78bc9bdded1975f0bb6384e33b4ebbf7a8c776844aec";
        Assert.Equal(expected, Hex.Encode(Secp256k1Ecdh.SharedSecret(priv2, priv1.PublicKey)));
        Assert.Equal(expected, Hex.Encode(Secp256k1Ecdh.SharedSecret(priv1, priv2.PublicKey)));
    }

    /// <summary>Independent computation: priv * pub with BigInteger affine arithmetic, then sha256 of the compressed point.</summary>
    [Fact]
    public void MatchesIndependentScalarMultiplication()
    {
        for (var i = 0; i < 3; i++)
        {
            var a = PrivateKey.Generate();
            var b = PrivateKey.Generate();
            var point = ReferenceCurve.Multiply(ToBig(a.ToBytes()), ReferenceCurve.Decode(b.PublicKey.Uncompressed));
            var expected = SHA256.HashData(ReferenceCurve.EncodeCompressed(point));
            Assert.Equal(expected, Secp256k1Ecdh.SharedSecret(a, b.PublicKey));
        }
    }

    /// <summary>libsecp256k1's own module test: ecdh(s, G) equals sha256 of the compressed public key of s.</summary>
    [Fact]
    public void WithGenerator_EqualsHashOfCompressedPublicKey()
    {
        var generator = new PublicKey(ReferenceCurve.EncodeCompressed(ReferenceCurve.G));
        var s = PrivateKey.Generate();
        Assert.Equal(SHA256.HashData(s.PublicKey.Compressed), Secp256k1Ecdh.SharedSecret(s, generator));
    }

    private static BigInteger ToBig(byte[] bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>Textbook affine secp256k1 arithmetic, deliberately independent of libsecp256k1.</summary>
    private static class ReferenceCurve
    {
        private static readonly BigInteger P = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", System.Globalization.NumberStyles.HexNumber);
        public static readonly (BigInteger X, BigInteger Y) G = (
            BigInteger.Parse("079BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", System.Globalization.NumberStyles.HexNumber),
            BigInteger.Parse("0483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", System.Globalization.NumberStyles.HexNumber));

        public static (BigInteger X, BigInteger Y) Decode(byte[] uncompressed) =>
            (ToBig(uncompressed[1..33]), ToBig(uncompressed[33..65]));

        public static byte[] EncodeCompressed((BigInteger X, BigInteger Y) point)
        {
            var output = new byte[33];
            output[0] = (byte)(point.Y.IsEven ? 0x02 : 0x03);
            var x = point.X.ToByteArray(isUnsigned: true, isBigEndian: true);
            x.CopyTo(output, 33 - x.Length);
            return output;
        }

        public static (BigInteger X, BigInteger Y) Multiply(BigInteger k, (BigInteger X, BigInteger Y) point)
        {
            (BigInteger X, BigInteger Y)? result = null;
            var addend = point;
            while (k > 0)
            {
                if (!k.IsEven) result = result is null ? addend : Add(result.Value, addend);
                addend = Add(addend, addend);
                k >>= 1;
            }
            return result ?? throw new InvalidOperationException("point at infinity");
        }

        private static (BigInteger X, BigInteger Y) Add((BigInteger X, BigInteger Y) a, (BigInteger X, BigInteger Y) b)
        {
            BigInteger lambda;
            if (a.X == b.X)
            {
                if (Mod(a.Y + b.Y) == 0) throw new InvalidOperationException("point at infinity");
                lambda = Mod(3 * a.X * a.X * Inverse(2 * a.Y));
            }
            else
            {
                lambda = Mod((b.Y - a.Y) * Inverse(b.X - a.X));
            }
            var x = Mod(lambda * lambda - a.X - b.X);
            var y = Mod(lambda * (a.X - x) - a.Y);
            return (x, y);
        }

        private static BigInteger Inverse(BigInteger v) => BigInteger.ModPow(Mod(v), P - 2, P);

        private static BigInteger Mod(BigInteger v)
        {
            var r = v % P;
            return r.Sign < 0 ? r + P : r;
        }
    }
}
