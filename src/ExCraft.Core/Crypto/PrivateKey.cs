using System.Security.Cryptography;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Crypto;

/// <summary>
/// A secp256k1 secret scalar d with 0 &lt; d &lt; n. Signing is deterministic (RFC 6979 nonces,
/// libsecp256k1's default) and always yields low-S signatures. <see cref="ToString"/> never
/// shows the secret.
/// </summary>
public sealed class PrivateKey
{
    public const int Length = 32;

    private readonly byte[] _secret;

    /// <summary>Throws <see cref="ArgumentException"/> unless the 32 bytes are a big-endian scalar in [1, n-1].</summary>
    public PrivateKey(ReadOnlySpan<byte> secret32)
    {
        if (secret32.Length != Length)
            throw new ArgumentException($"a private key is {Length} bytes, got {secret32.Length}", nameof(secret32));
        if (Secp256k1Curve.IsZero(secret32))
            throw new ArgumentException("private key must not be zero", nameof(secret32));
        if (!Secp256k1Curve.IsBelowOrder(secret32))
            throw new ArgumentException("private key must be below the secp256k1 curve order", nameof(secret32));
        _secret = secret32.ToArray();
        PublicKey = DerivePublicKey(_secret);
    }

    /// <summary>A fresh key from the operating system's CSPRNG.</summary>
    public static PrivateKey Generate()
    {
        Span<byte> secret = stackalloc byte[Length];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(secret);
                // Rejection sampling: out of range with probability about 2^-128.
                if (!Secp256k1Curve.IsZero(secret) && Secp256k1Curve.IsBelowOrder(secret)) return new PrivateKey(secret);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Parses 64 hex digits, with or without 0x. Throws FormatException for bad hex, ArgumentException for a bad key.</summary>
    public static PrivateKey FromHex(string hex)
    {
        var bytes = Hex.Decode(hex);
        try
        {
            return new PrivateKey(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public byte[] ToBytes() => (byte[])_secret.Clone();

    /// <summary>"0x" + 64 lower-case hex digits.</summary>
    public string ToHex() => Hex.Encode(_secret);

    public PublicKey PublicKey { get; }

    public Address Address => PublicKey.Address;

    /// <summary>Signs a 32-byte hash: RFC 6979 deterministic nonce, low-S, recovery id 0 or 1.</summary>
    public Signature Sign(ReadOnlySpan<byte> hash32)
    {
        if (hash32.Length != 32) throw new ArgumentException($"hash must be 32 bytes, got {hash32.Length}", nameof(hash32));
        var library = Secp256k1Context.Shared;
        Span<byte> recoverable = stackalloc byte[Secp256k1Context.RecoverableSignatureSize];
        Span<byte> output = stackalloc byte[Signature.Length];
        // The default nonce function is RFC 6979; libsecp256k1 always signs low-S.
        if (!library.EcdsaSignRecoverable(recoverable, hash32, _secret))
            throw new CryptographicException("secp256k1_ecdsa_sign_recoverable failed");
        if (!library.EcdsaRecoverableSignatureSerializeCompact(output[..64], out var recid, recoverable))
            throw new CryptographicException("secp256k1_ecdsa_recoverable_signature_serialize_compact failed");
        // recid 2/3 means r overflowed n (probability about 2^-127); such a signature is not representable here.
        if (recid is not (0 or 1)) throw new CryptographicException($"signing produced recovery id {recid}; not representable");
        output[64] = (byte)recid;
        var signature = new Signature(output);
        if (!signature.IsLowS) throw new CryptographicException("libsecp256k1 produced a high-S signature");
        return signature;
    }

    private static PublicKey DerivePublicKey(byte[] secret)
    {
        Span<byte> pub = stackalloc byte[Secp256k1Context.PubKeySize];
        if (!Secp256k1Context.Shared.EcPubkeyCreate(pub, secret))
            throw new ArgumentException("private key is not a valid secp256k1 secret");
        return PublicKey.FromNative(pub);
    }

    /// <summary>Shows the address only, never the secret.</summary>
    public override string ToString() => $"PrivateKey({Address.ToHex()})";
}
