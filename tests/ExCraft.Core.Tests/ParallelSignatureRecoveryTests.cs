using System.Numerics;
using ExCraft.Core.Crypto;

namespace ExCraft.Core.Tests;

public class ParallelSignatureRecoveryTests
{
    private static readonly BigInteger N = BigInteger.Parse(
        "0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);

    private enum Corruption { None, HighS, ZeroR, ZeroS, ShortHash, OtherHash }

    private static (SignedHash[] Items, Address?[] Expected) Build(int count, int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, 16).Select(_ => PrivateKey.Generate()).ToArray();
        var items = new SignedHash[count];
        var expected = new Address?[count];
        for (var i = 0; i < count; i++)
        {
            var key = keys[i % keys.Length];
            var hash = new byte[32];
            random.NextBytes(hash);
            var signature = key.Sign(hash);
            var corruption = (i % 13) switch
            {
                3 => Corruption.HighS,
                5 => Corruption.ZeroR,
                7 => Corruption.ZeroS,
                9 => Corruption.ShortHash,
                11 => Corruption.OtherHash,
                _ => Corruption.None,
            };
            switch (corruption)
            {
                case Corruption.None:
                    items[i] = new SignedHash(hash, signature);
                    expected[i] = key.Address;
                    break;
                case Corruption.HighS:
                    var s = new BigInteger(signature.S, isUnsigned: true, isBigEndian: true);
                    items[i] = new SignedHash(hash, Signature.FromParts(signature.R, Pad(N - s), (byte)(signature.RecoveryId ^ 1)));
                    break;
                case Corruption.ZeroR:
                    items[i] = new SignedHash(hash, Signature.FromParts(new byte[32], signature.S, signature.RecoveryId));
                    break;
                case Corruption.ZeroS:
                    items[i] = new SignedHash(hash, Signature.FromParts(signature.R, new byte[32], signature.RecoveryId));
                    break;
                case Corruption.ShortHash:
                    items[i] = new SignedHash(hash[..31], signature);
                    break;
                case Corruption.OtherHash:
                    // Still a valid signature over *some* hash: recovers to an unrelated address, not null.
                    var other = (byte[])hash.Clone();
                    other[0] ^= 0x80;
                    items[i] = new SignedHash(other, signature);
                    expected[i] = Secp256k1Recovery.TryRecoverAddress(other, signature, out var a, out _) ? a : null;
                    Assert.NotEqual(key.Address, expected[i]);
                    break;
            }
        }
        return (items, expected);
    }

    private static byte[] Pad(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }

    private static Address?[] Sequential(IReadOnlyList<SignedHash> items) =>
        items.Select(item => Secp256k1Recovery.TryRecoverAddress(item.Hash, item.Signature, out var a, out _) ? a : (Address?)null).ToArray();

    [Fact]
    public void TwoThousandItems_MatchExpectedAndSequential()
    {
        var (items, expected) = Build(2000, 42);
        var parallel = new ParallelSignatureRecovery().RecoverAddresses(items);

        Assert.Equal(2000, parallel.Length);
        Assert.Equal(expected, parallel);
        Assert.Equal(Sequential(items), parallel);

        var nulls = Enumerable.Range(0, 2000).Where(i => parallel[i] is null).ToArray();
        var corruptedToNull = Enumerable.Range(0, 2000).Where(i => i % 13 is 3 or 5 or 7 or 9).ToArray();
        Assert.Equal(corruptedToNull, nulls);
        Assert.Equal(616, nulls.Length); // 2000 = 13 * 153 + 11: 153 full cycles of 4, plus 3, 5, 7, 9 in the tail
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void AnyDegreeOfParallelism_GivesTheSameResult(int dop)
    {
        var (items, expected) = Build(701, dop);
        Assert.Equal(expected, new ParallelSignatureRecovery(dop).RecoverAddresses(items));
    }

    [Fact]
    public void SmallAndEmptyBatches()
    {
        var recovery = new ParallelSignatureRecovery(4);
        Assert.Empty(recovery.RecoverAddresses([]));
        var (items, expected) = Build(10, 7);
        Assert.Equal(expected, recovery.RecoverAddresses(items));
        Assert.Equal(expected, recovery.RecoverAddresses(items.ToList()));
        Assert.Equal([null], recovery.RecoverAddresses([new SignedHash(null!, default)]));
    }

    [Fact]
    public void DegreeOfParallelism_IsValidated()
    {
        Assert.Equal(Environment.ProcessorCount, new ParallelSignatureRecovery().DegreeOfParallelism);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelSignatureRecovery(0));
        Assert.Throws<ArgumentNullException>(() => new ParallelSignatureRecovery().RecoverAddresses(null!));
    }
}
