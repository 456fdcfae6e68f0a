using System.Buffers.Binary;
using System.Numerics;

namespace ExCraft.Core.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (original Keccak padding 0x01, not NIST SHA3-256's 0x06).
/// The sponge runs on a stack-allocated state with no heap allocation besides the result, because
/// every transaction is hashed several times on every node (transaction and signing hashes,
/// Merkle leaves, address derivation, the app hash).
/// </summary>
public static class Keccak256
{
    public const int Length = 32;
    private const int Rate = 136; // (1600 - 2 * 256) / 8

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808aUL, 0x8000000080008000UL,
        0x000000000000808bUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008aUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000aUL,
        0x000000008000808bUL, 0x800000000000008bUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800aUL, 0x800000008000000aUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var output = new byte[Length];
        Hash(data, output);
        return output;
    }

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        Absorb(state, data, finish: true);
        Squeeze(state, output);
    }

    /// <summary>Hash of several parts concatenated, without building the concatenation.</summary>
    public static byte[] HashConcat(params byte[][] parts)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        Span<byte> block = stackalloc byte[Rate];
        var filled = 0;
        foreach (var part in parts)
        {
            var input = part.AsSpan();
            while (input.Length > 0)
            {
                var take = Math.Min(Rate - filled, input.Length);
                input[..take].CopyTo(block[filled..]);
                filled += take;
                input = input[take..];
                if (filled == Rate)
                {
                    XorBlock(state, block);
                    Permute(state);
                    filled = 0;
                }
            }
        }
        Absorb(state, block[..filled], finish: true);
        var output = new byte[Length];
        Squeeze(state, output);
        return output;
    }

    /// <summary>Absorbs whole blocks, then the padded tail (0x01 ... 0x80).</summary>
    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> data, bool finish)
    {
        while (data.Length >= Rate)
        {
            XorBlock(state, data[..Rate]);
            Permute(state);
            data = data[Rate..];
        }
        if (!finish) return;
        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        XorBlock(state, last);
        Permute(state);
    }

    private static void XorBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < Rate / 8; i++) state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
    }

    private static void Squeeze(Span<ulong> state, Span<byte> output)
    {
        for (var i = 0; i < Length / 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(output[(8 * i)..], state[i]);
    }

    /// <summary>Keccak-f[1600]: 24 rounds of theta, rho and pi, chi, iota over the 5x5 lanes.</summary>
    private static void Permute(Span<ulong> a)
    {
        ulong a00 = a[0], a01 = a[1], a02 = a[2], a03 = a[3], a04 = a[4];
        ulong a05 = a[5], a06 = a[6], a07 = a[7], a08 = a[8], a09 = a[9];
        ulong a10 = a[10], a11 = a[11], a12 = a[12], a13 = a[13], a14 = a[14];
        ulong a15 = a[15], a16 = a[16], a17 = a[17], a18 = a[18], a19 = a[19];
        ulong a20 = a[20], a21 = a[21], a22 = a[22], a23 = a[23], a24 = a[24];
        for (var round = 0; round < 24; round++)
        {
            // theta
            var c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
            var c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
            var c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
            var c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
            var c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
            var d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            var d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            var d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            var d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            var d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            a00 ^= d0; a05 ^= d0; a10 ^= d0; a15 ^= d0; a20 ^= d0;
            a01 ^= d1; a06 ^= d1; a11 ^= d1; a16 ^= d1; a21 ^= d1;
            a02 ^= d2; a07 ^= d2; a12 ^= d2; a17 ^= d2; a22 ^= d2;
            a03 ^= d3; a08 ^= d3; a13 ^= d3; a18 ^= d3; a23 ^= d3;
            a04 ^= d4; a09 ^= d4; a14 ^= d4; a19 ^= d4; a24 ^= d4;

            // rho and pi: lane (x, y) rotated moves to (y, 2x + 3y); index = x + 5y
            var b00 = a00;
            var b10 = BitOperations.RotateLeft(a01, 1);
            var b20 = BitOperations.RotateLeft(a02, 62);
            var b05 = BitOperations.RotateLeft(a03, 28);
            var b15 = BitOperations.RotateLeft(a04, 27);
            var b16 = BitOperations.RotateLeft(a05, 36);
            var b01 = BitOperations.RotateLeft(a06, 44);
            var b11 = BitOperations.RotateLeft(a07, 6);
            var b21 = BitOperations.RotateLeft(a08, 55);
            var b06 = BitOperations.RotateLeft(a09, 20);
            var b07 = BitOperations.RotateLeft(a10, 3);
            var b17 = BitOperations.RotateLeft(a11, 10);
            var b02 = BitOperations.RotateLeft(a12, 43);
            var b12 = BitOperations.RotateLeft(a13, 25);
            var b22 = BitOperations.RotateLeft(a14, 39);
            var b23 = BitOperations.RotateLeft(a15, 41);
            var b08 = BitOperations.RotateLeft(a16, 45);
            var b18 = BitOperations.RotateLeft(a17, 15);
            var b03 = BitOperations.RotateLeft(a18, 21);
            var b13 = BitOperations.RotateLeft(a19, 8);
            var b14 = BitOperations.RotateLeft(a20, 18);
            var b24 = BitOperations.RotateLeft(a21, 2);
            var b09 = BitOperations.RotateLeft(a22, 61);
            var b19 = BitOperations.RotateLeft(a23, 56);
            var b04 = BitOperations.RotateLeft(a24, 14);

            // chi
            a00 = b00 ^ (~b01 & b02); a01 = b01 ^ (~b02 & b03); a02 = b02 ^ (~b03 & b04); a03 = b03 ^ (~b04 & b00); a04 = b04 ^ (~b00 & b01);
            a05 = b05 ^ (~b06 & b07); a06 = b06 ^ (~b07 & b08); a07 = b07 ^ (~b08 & b09); a08 = b08 ^ (~b09 & b05); a09 = b09 ^ (~b05 & b06);
            a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14); a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);
            a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19); a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);
            a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24); a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);

            // iota
            a00 ^= RoundConstants[round];
        }
        a[0] = a00; a[1] = a01; a[2] = a02; a[3] = a03; a[4] = a04;
        a[5] = a05; a[6] = a06; a[7] = a07; a[8] = a08; a[9] = a09;
        a[10] = a10; a[11] = a11; a[12] = a12; a[13] = a13; a[14] = a14;
        a[15] = a15; a[16] = a16; a[17] = a17; a[18] = a18; a[19] = a19;
        a[20] = a20; a[21] = a21; a[22] = a22; a[23] = a23; a[24] = a24;
    }
}
