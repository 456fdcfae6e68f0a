using ExCraft.Core.Encoding;
using Secp256k1Net;

namespace ExCraft.Core.Crypto;

/// <summary>
/// A point on secp256k1 (never the point at infinity). Accepts the 33-byte compressed
/// (0x02/0x03 || X) and 65-byte uncompressed (0x04 || X || Y) SEC1 encodings; the "hybrid"
/// 0x06/0x07 encoding is refused. Immutable: the byte-array properties return copies.
/// </summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    public const int CompressedLength = 33;
    public const int UncompressedLength = 65;

    private readonly byte[] _native;        // opaque secp256k1_pubkey, this process only
    private readonly byte[] _uncompressed;
    private readonly byte[] _compressed;

    /// <summary>Parses a compressed or uncompressed key; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public PublicKey(ReadOnlySpan<byte> serialized)
    {
        if (!TryParseNative(serialized, out _native, out var error)) throw new FormatException(error);
        (_uncompressed, _compressed) = Serialize(_native);
        Address = Address.FromUncompressedPublicKey(_uncompressed);
    }

    private PublicKey(byte[] native)
    {
        _native = native;
        (_uncompressed, _compressed) = Serialize(native);
        Address = Address.FromUncompressedPublicKey(_uncompressed);
    }

    /// <summary>Wraps an opaque secp256k1_pubkey produced by the library (create or recover).</summary>
    internal static PublicKey FromNative(ReadOnlySpan<byte> native64) => new(native64.ToArray());

    public static bool TryParse(ReadOnlySpan<byte> serialized, out PublicKey? publicKey, out string error)
    {
        if (!TryParseNative(serialized, out var native, out error))
        {
            publicKey = null;
            return false;
        }
        publicKey = new PublicKey(native);
        return true;
    }

    /// <summary>Parses 0x-hex of a compressed or uncompressed key.</summary>
    public static PublicKey FromHex(string hex) => new(Hex.Decode(hex));

    /// <summary>65 bytes: 0x04 || X || Y.</summary>
    public byte[] Uncompressed => (byte[])_uncompressed.Clone();

    /// <summary>33 bytes: (0x02 if Y is even, else 0x03) || X.</summary>
    public byte[] Compressed => (byte[])_compressed.Clone();

    /// <summary>keccak256(X || Y)[12..32].</summary>
    public Address Address { get; }

    /// <summary>
    /// Checks an ECDSA signature (r, s) over a 32-byte hash. Returns false for high-S signatures
    /// (s &gt; n/2), r or s out of range, or a signature by another key. The recovery id is not part
    /// of ECDSA validity and is not checked here; use <see cref="Secp256k1Recovery"/> when the
    /// signer is to be derived from the signature. Throws <see cref="ArgumentException"/> if the hash is not 32 bytes.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> hash32, Signature signature)
    {
        if (hash32.Length != 32) throw new ArgumentException($"hash must be 32 bytes, got {hash32.Length}", nameof(hash32));
        var raw = signature.Span;
        if (Secp256k1Recovery.Check(raw) != Secp256k1Recovery.Status.Ok) return false;

        var library = Secp256k1Context.Shared;
        Span<byte> sig = stackalloc byte[Secp256k1Context.SignatureSize];
        if (!library.EcdsaSignatureParseCompact(sig, raw[..64])) return false;
        // secp256k1_ecdsa_verify itself also refuses high-S.
        return library.EcdsaVerify(sig, hash32, _native);
    }

    private static bool TryParseNative(ReadOnlySpan<byte> serialized, out byte[] native, out string error)
    {
        native = [];
        switch (serialized.Length)
        {
            case CompressedLength when serialized[0] is 0x02 or 0x03:
            case UncompressedLength when serialized[0] is 0x04:
                break;
            case CompressedLength:
            case UncompressedLength:
                error = $"public key of {serialized.Length} bytes has an invalid prefix 0x{serialized[0]:x2}";
                return false;
            default:
                error = $"a public key is {CompressedLength} bytes (compressed) or {UncompressedLength} bytes (uncompressed), got {serialized.Length}";
                return false;
        }
        var parsed = new byte[Secp256k1Context.PubKeySize];
        if (!Secp256k1Context.Shared.EcPubkeyParse(parsed, serialized))
        {
            error = "public key is not a point on the secp256k1 curve";
            return false;
        }
        native = parsed;
        error = "";
        return true;
    }

    private static (byte[] Uncompressed, byte[] Compressed) Serialize(byte[] native)
    {
        var uncompressed = new byte[UncompressedLength];
        var compressed = new byte[CompressedLength];
        SerializeInto(native, uncompressed, Secp256k1EcFlags.Uncompressed);
        SerializeInto(native, compressed, Secp256k1EcFlags.Compressed);
        return (uncompressed, compressed);
    }

    /// <summary>Serializes an opaque secp256k1_pubkey; the destination length selects nothing, the flags do.</summary>
    internal static void SerializeInto(ReadOnlySpan<byte> native64, Span<byte> destination, Secp256k1EcFlags flags)
    {
        nuint length = (nuint)destination.Length;
        Secp256k1Context.Shared.EcPubkeySerialize(destination, ref length, native64, flags);
        if ((int)length != destination.Length)
            throw new InvalidOperationException($"secp256k1_ec_pubkey_serialize wrote {length} bytes, expected {destination.Length}");
    }

    public bool Equals(PublicKey? other) => other is not null && _uncompressed.AsSpan().SequenceEqual(other._uncompressed);
    public override bool Equals(object? obj) => Equals(obj as PublicKey);
    public override int GetHashCode() => Address.GetHashCode();
    public static bool operator ==(PublicKey? left, PublicKey? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(PublicKey? left, PublicKey? right) => !(left == right);

    /// <summary>0x-hex of the compressed form.</summary>
    public override string ToString() => Hex.Encode(_compressed);
}
