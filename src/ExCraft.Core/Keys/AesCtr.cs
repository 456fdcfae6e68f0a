using System.Security.Cryptography;

namespace ExCraft.Core.Keys;

/// <summary>AES in CTR mode (NIST SP 800-38A): the 16-byte IV is the first counter block, incremented as one 128-bit big-endian integer.</summary>
internal static class AesCtr
{
    public const int BlockSize = 16;

    /// <summary>Encrypts or decrypts (the same operation) <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv.Length != BlockSize) throw new ArgumentException($"CTR IV must be {BlockSize} bytes, got {iv.Length}", nameof(iv));
        if (output.Length < input.Length) throw new ArgumentException("output is shorter than input", nameof(output));

        var blocks = (input.Length + BlockSize - 1) / BlockSize;
        var counters = new byte[blocks * BlockSize];
        var keystream = new byte[blocks * BlockSize];
        var keyBytes = key.ToArray();
        try
        {
            Span<byte> counter = stackalloc byte[BlockSize];
            iv.CopyTo(counter);
            for (var b = 0; b < blocks; b++)
            {
                counter.CopyTo(counters.AsSpan(b * BlockSize));
                Increment(counter);
            }
            using (var aes = Aes.Create())
            {
                aes.Key = keyBytes;
                aes.EncryptEcb(counters, keystream, PaddingMode.None);
            }
            for (var i = 0; i < input.Length; i++) output[i] = (byte)(input[i] ^ keystream[i]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keystream);
            CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    private static void Increment(Span<byte> counter)
    {
        for (var i = counter.Length - 1; i >= 0; i--)
        {
            if (++counter[i] != 0) return;
        }
    }
}
