using Org.BouncyCastle.Crypto.Digests;

namespace ExCraft.Core.Crypto;

/// <summary>Keccak-256 as Ethereum uses it (original Keccak padding, not NIST SHA3-256).</summary>
public static class Keccak256
{
    public const int Length = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var output = new byte[Length];
        Hash(data, output);
        return output;
    }

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data.ToArray(), 0, data.Length);
        var result = new byte[Length];
        digest.DoFinal(result, 0);
        result.CopyTo(output);
    }

    /// <summary>Hash of several parts concatenated, without building the concatenation.</summary>
    public static byte[] HashConcat(params byte[][] parts)
    {
        var digest = new KeccakDigest(256);
        foreach (var part in parts) digest.BlockUpdate(part, 0, part.Length);
        var result = new byte[Length];
        digest.DoFinal(result, 0);
        return result;
    }
}
