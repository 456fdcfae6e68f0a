using System.Security.Cryptography;

namespace ExCraft.Core.Crypto;

/// <summary>
/// Elliptic-curve Diffie-Hellman on secp256k1 through libsecp256k1's ecdh module
/// (secp256k1_ecdh with its default hash function). The secret is SHA-256 of the compressed
/// shared point, i.e. sha256((0x02 | (y &amp; 1)) || x) where (x, y) = priv * pub. Both parties
/// derive the same 32 bytes: SharedSecret(a, B) == SharedSecret(b, A). Use it as input keying
/// material for a KDF (the P2P handshake does).
/// </summary>
public static class Secp256k1Ecdh
{
    public const int SecretLength = 32;

    /// <summary>
    /// sha256(compressed(priv * pub)). Throws <see cref="CryptographicException"/> if the library
    /// refuses (cannot happen for a valid <see cref="PrivateKey"/> and <see cref="PublicKey"/>).
    /// </summary>
    public static byte[] SharedSecret(PrivateKey priv, PublicKey pub)
    {
        ArgumentNullException.ThrowIfNull(priv);
        ArgumentNullException.ThrowIfNull(pub);

        var library = Secp256k1Context.Shared;
        Span<byte> nativePub = stackalloc byte[Secp256k1Context.PubKeySize];
        // PublicKey guarantees a valid point; parse its serialization into this library's opaque form.
        if (!library.EcPubkeyParse(nativePub, pub.Compressed))
            throw new CryptographicException("public key did not parse as a secp256k1 point");

        var secret = priv.ToBytes();
        var output = new byte[SecretLength];
        try
        {
            // The three-argument overload passes no hash function: libsecp256k1's default, SHA-256
            // of the compressed point, the same bytes the handshake has always used.
            if (!library.Ecdh(output, nativePub, secret)) throw new CryptographicException("secp256k1_ecdh failed");
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
