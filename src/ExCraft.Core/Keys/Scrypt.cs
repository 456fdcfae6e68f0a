using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace ExCraft.Core.Keys;

/// <summary>
/// scrypt (RFC 7914) for keystores. BouncyCastle's <see cref="Org.BouncyCastle.Crypto.Generators.SCrypt"/> is
/// used whenever it accepts the parameters. It refuses r = 1 with N &gt;= 65536 (RFC 7914 asks for
/// N &lt; 2^(16r)), but geth, pyethereum and the ethereum/tests vectors use exactly that
/// (n = 262144, r = 1, p = 8), so those parameters go to <see cref="Derive"/>'s own implementation
/// of the RFC 7914 algorithm (PBKDF2-HMAC-SHA256, scryptROMix, scryptBlockMix, Salsa20/8).
/// </summary>
internal static class Scrypt
{
    public static byte[] Derive(byte[] password, byte[] salt, int n, int r, int p, int dkLen) =>
        BouncyCastleAccepts(n, r)
            ? Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(password, salt, n, r, p, dkLen)
            : DeriveRfc7914(password, salt, n, r, p, dkLen);

    internal static bool BouncyCastleAccepts(int n, int r) => !(r == 1 && n >= 65536);

    /// <summary>The RFC 7914 algorithm; N must be a power of two above 1, r and p positive.</summary>
    internal static byte[] DeriveRfc7914(byte[] password, byte[] salt, int n, int r, int p, int dkLen)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentException($"scrypt N must be a power of two greater than 1, got {n}", nameof(n));
        if (r < 1 || p < 1 || (long)r * p >= 1 << 30) throw new ArgumentException($"invalid scrypt r={r}, p={p}");

        var blockBytes = 128 * r;
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, checked(p * blockBytes));
        var words = 32 * r;                      // one scrypt block as 32-bit little-endian words
        var x = new uint[words];
        var y = new uint[words];
        var v = new uint[checked(n * words)];
        try
        {
            for (var i = 0; i < p; i++)
            {
                var chunk = b.AsSpan(i * blockBytes, blockBytes);
                for (var k = 0; k < words; k++) x[k] = BinaryPrimitives.ReadUInt32LittleEndian(chunk[(4 * k)..]);
                RoMix(x, y, v, n, r);
                for (var k = 0; k < words; k++) BinaryPrimitives.WriteUInt32LittleEndian(chunk[(4 * k)..], x[k]);
            }
            return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, dkLen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(b);
            Array.Clear(x);
            Array.Clear(y);
            Array.Clear(v);
        }
    }

    /// <summary>scryptROMix: x is transformed in place; y is scratch of the same size; v holds N blocks.</summary>
    private static void RoMix(uint[] x, uint[] y, uint[] v, int n, int r)
    {
        var words = x.Length;
        for (var i = 0; i < n; i++)
        {
            x.CopyTo(v, i * words);
            BlockMix(x, y, r);
        }
        var mask = (uint)(n - 1);
        for (var i = 0; i < n; i++)
        {
            // Integerify: the first word of the last 64-byte sub-block, modulo N (a power of two).
            var j = (int)(x[words - 16] & mask);
            var vj = v.AsSpan(j * words, words);
            for (var k = 0; k < words; k++) x[k] ^= vj[k];
            BlockMix(x, y, r);
        }
    }

    /// <summary>scryptBlockMix over 2r 16-word sub-blocks; result written back into b, y is scratch.</summary>
    private static void BlockMix(uint[] b, uint[] y, int r)
    {
        Span<uint> t = stackalloc uint[16];
        b.AsSpan((2 * r - 1) * 16, 16).CopyTo(t);
        for (var i = 0; i < 2 * r; i++)
        {
            var bi = b.AsSpan(i * 16, 16);
            for (var k = 0; k < 16; k++) t[k] ^= bi[k];
            Salsa20_8(t);
            // Even-indexed outputs go to the first half, odd-indexed to the second.
            var destination = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
            t.CopyTo(y.AsSpan(destination, 16));
        }
        y.CopyTo(b, 0);
    }

    /// <summary>The Salsa20/8 core: 4 double rounds, then the input is added back.</summary>
    private static void Salsa20_8(Span<uint> block)
    {
        uint x0 = block[0], x1 = block[1], x2 = block[2], x3 = block[3];
        uint x4 = block[4], x5 = block[5], x6 = block[6], x7 = block[7];
        uint x8 = block[8], x9 = block[9], x10 = block[10], x11 = block[11];
        uint x12 = block[12], x13 = block[13], x14 = block[14], x15 = block[15];
        for (var round = 0; round < 8; round += 2)
        {
            // columns
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7);
            x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13);
            x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7);
            x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13);
            x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7);
            x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13);
            x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7);
            x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13);
            x15 ^= BitOperations.RotateLeft(x11 + x7, 18);
            // rows
            x1 ^= BitOperations.RotateLeft(x0 + x3, 7);
            x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13);
            x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7);
            x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13);
            x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7);
            x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13);
            x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7);
            x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13);
            x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }
        block[0] += x0; block[1] += x1; block[2] += x2; block[3] += x3;
        block[4] += x4; block[5] += x5; block[6] += x6; block[7] += x7;
        block[8] += x8; block[9] += x9; block[10] += x10; block[11] += x11;
        block[12] += x12; block[13] += x13; block[14] += x14; block[15] += x15;
    }
}
