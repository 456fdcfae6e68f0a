using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ExCraft.Core.Crypto;

/// <summary>
/// Elliptic-curve Diffie-Hellman on secp256k1 through libsecp256k1's ecdh module
/// (secp256k1_ecdh). The secret is the library's default: SHA-256 of the compressed shared point,
/// i.e. sha256((0x02 | (y &amp; 1)) || x) where (x, y) = priv * pub. Both parties derive the same
/// 32 bytes: SharedSecret(a, B) == SharedSecret(b, A). Use it as input keying material for a KDF.
/// </summary>
public static unsafe partial class Secp256k1Ecdh
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

        byte* nativePub = stackalloc byte[Secp256k1Native.PubKeySize];
        var compressed = pub.Compressed;
        fixed (byte* input = compressed)
        {
            // PublicKey guarantees a valid point, but the library aborts on illegal arguments, so check anyway.
            if (Secp256k1Native.PubKeyParse(Secp256k1Context.Shared, nativePub, input, (nuint)compressed.Length) != 1)
                throw new CryptographicException("public key did not parse as a secp256k1 point");
        }

        var secret = priv.ToBytes();
        var output = new byte[SecretLength];
        try
        {
            fixed (byte* key = secret)
            fixed (byte* result = output)
            {
                int ok;
                // A secret-key operation: uses the signing context under its lock, like signing does.
                lock (Secp256k1Context.SigningLock)
                {
                    ok = Native.Ecdh(Secp256k1Context.Signing, result, nativePub, key, 0, 0);
                }
                if (ok != 1) throw new CryptographicException("secp256k1_ecdh failed");
            }
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static partial class Native
    {
        /// <summary>
        /// include/secp256k1_ecdh.h. hashfp = 0 selects secp256k1_ecdh_hash_function_default
        /// (SHA-256 of the compressed point); data is passed to hashfp and unused by the default.
        /// </summary>
        [LibraryImport("libsecp256k1.so.1", EntryPoint = "secp256k1_ecdh")]
        public static partial int Ecdh(nint ctx, byte* output32, byte* pubkey64, byte* seckey32, nint hashfp, nint data);
    }
}
