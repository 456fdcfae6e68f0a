using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using Org.BouncyCastle.Crypto.Digests;

namespace ExCraft.Core.Tests;

public sealed class Keccak256Tests
{
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void KnownVectors(string text, string expected) =>
        Assert.Equal(expected, Hex.Encode(Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(text))));

    /// <summary>Every length across the 136-byte block boundaries, against BouncyCastle's independent Keccak.</summary>
    [Fact]
    public void MatchesAnIndependentImplementationAtEveryLengthUpTo700()
    {
        var random = new Random(7);
        for (var length = 0; length <= 700; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var digest = new KeccakDigest(256);
            digest.BlockUpdate(data, 0, data.Length);
            var expected = new byte[32];
            digest.DoFinal(expected, 0);
            Assert.Equal(expected, Keccak256.Hash(data));
            var split = length / 3;
            Assert.Equal(expected, Keccak256.HashConcat(data[..split], data[split..(2 * split)], data[(2 * split)..]));
        }
    }
}
