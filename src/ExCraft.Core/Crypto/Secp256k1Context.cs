using Secp256k1Net;

namespace ExCraft.Core.Crypto;

/// <summary>
/// The one libsecp256k1 context of the process, through the Secp256k1.Net package (which bundles
/// the native library for Linux, macOS and Windows under runtimes/&lt;rid&gt;/native). It is created
/// on first use and never disposed.
/// <para>
/// One context serves every thread without locking: libsecp256k1 documents a context as safe for
/// concurrent use as long as nothing re-randomizes it, and the package offers no randomization
/// call, so nothing ever mutates it after creation. Signing and key derivation are constant-time
/// in libsecp256k1 either way; see docs/crypto.md for what the missing blinding means.
/// </para>
/// <para>
/// Callers validate arguments first. An illegal argument does not abort the process here (the
/// package installs a callback that writes the message to stderr) but makes the call fail.
/// </para>
/// </summary>
internal static class Secp256k1Context
{
    /// <summary>secp256k1_pubkey: opaque, this process only; serialize before storing.</summary>
    public const int PubKeySize = Secp256k1.UNSERIALIZED_PUBKEY_LENGTH;

    /// <summary>secp256k1_ecdsa_signature: opaque.</summary>
    public const int SignatureSize = Secp256k1.UNSERIALIZED_SIGNATURE_LENGTH;

    /// <summary>secp256k1_ecdsa_recoverable_signature: opaque.</summary>
    public const int RecoverableSignatureSize = Secp256k1.UNSERIALIZED_SIGNATURE_SIZE;

    /// <summary>A static readonly field, so the JIT reads it as a constant on the hot recovery path.</summary>
    public static readonly Secp256k1 Shared = Create();

    private static Secp256k1 Create()
    {
        try
        {
            return new Secp256k1();
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException
                                      || e.GetType() == typeof(Exception))
        {
            // The package throws a plain Exception when its resolver finds no library for this platform.
            throw new PlatformNotSupportedException(
                "the libsecp256k1 native library bundled with the Secp256k1.Net package could not be loaded " +
                $"for {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}: {e.Message}. " +
                "Rebuild so that runtimes/<rid>/native/ is copied next to the application.", e);
        }
    }
}
