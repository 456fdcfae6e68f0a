using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Crypto;

/// <summary>
/// A recoverable secp256k1 ECDSA signature: r (32 bytes, big-endian) || s (32 bytes, big-endian) ||
/// recovery id (1 byte, 0 or 1). The recovery id is the parity of the y coordinate of the nonce
/// point R, which lets the signer's public key be recovered from (hash, signature) alone.
/// Only the encoding is checked here (length, recovery id); the range of r and s and the
/// low-S rule are enforced where signatures are used (<see cref="Secp256k1Recovery"/>,
/// <see cref="PublicKey.Verify"/>). default(Signature) is all zeros, which never verifies.
/// </summary>
public readonly struct Signature : IEquatable<Signature>
{
    public const int Length = 65;

    private readonly SignatureBuffer _bytes;

    /// <summary>Wraps 65 bytes r || s || v; throws <see cref="FormatException"/> for a wrong length or a recovery id above 1.</summary>
    public Signature(ReadOnlySpan<byte> bytes65)
    {
        if (!Validate(bytes65, out var error)) throw new FormatException(error);
        bytes65.CopyTo(_bytes);
    }

    /// <summary>Builds a signature from its parts: r and s are 32-byte big-endian, recoveryId 0 or 1.</summary>
    public static Signature FromParts(ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, byte recoveryId)
    {
        if (r32.Length != 32) throw new FormatException($"signature r must be 32 bytes, got {r32.Length}");
        if (s32.Length != 32) throw new FormatException($"signature s must be 32 bytes, got {s32.Length}");
        Span<byte> raw = stackalloc byte[Length];
        r32.CopyTo(raw);
        s32.CopyTo(raw[32..]);
        raw[64] = recoveryId;
        return new Signature(raw);
    }

    public static bool TryParse(ReadOnlySpan<byte> bytes, out Signature signature, out string error)
    {
        if (!Validate(bytes, out error))
        {
            signature = default;
            return false;
        }
        signature = new Signature(bytes);
        return true;
    }

    private static bool Validate(ReadOnlySpan<byte> bytes, out string error)
    {
        if (bytes.Length != Length)
        {
            error = $"a signature is {Length} bytes (r || s || recovery id), got {bytes.Length}";
            return false;
        }
        if (bytes[64] > 1)
        {
            error = $"recovery id must be 0 or 1, got {bytes[64]}";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The 65 bytes, without copying; valid while this value is alive.</summary>
    [UnscopedRef]
    internal ReadOnlySpan<byte> Span => _bytes;

    public byte[] ToBytes() => ((ReadOnlySpan<byte>)_bytes).ToArray();

    public void CopyTo(Span<byte> destination) => ((ReadOnlySpan<byte>)_bytes).CopyTo(destination);

    /// <summary>r as 32 big-endian bytes.</summary>
    public byte[] R => ((ReadOnlySpan<byte>)_bytes)[..32].ToArray();

    /// <summary>s as 32 big-endian bytes.</summary>
    public byte[] S => ((ReadOnlySpan<byte>)_bytes)[32..64].ToArray();

    public byte RecoveryId => _bytes[64];

    /// <summary>True when s &lt;= n/2, the only form this chain accepts.</summary>
    public bool IsLowS => Secp256k1Curve.IsLow(((ReadOnlySpan<byte>)_bytes)[32..64]);

    public bool Equals(Signature other) => ((ReadOnlySpan<byte>)_bytes).SequenceEqual(other._bytes);
    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(Signature left, Signature right) => left.Equals(right);
    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);

    /// <summary>0x-hex of the 65 bytes.</summary>
    public override string ToString() => Hex.Encode(_bytes);

    [InlineArray(Length)]
    private struct SignatureBuffer
    {
        private byte _element0;
    }
}
