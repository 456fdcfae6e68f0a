using System.Security.Cryptography;

namespace ExCraft.Core.Crypto;

/// <summary>
/// The process-wide libsecp256k1 contexts. Both are created once, randomized once at creation,
/// and never destroyed (they live as long as the process).
/// <list type="bullet">
/// <item><see cref="Shared"/> is used for parsing, serialization, verification and recovery. Those
/// calls take a const context, and libsecp256k1 documents a context as safe to use from many
/// threads at once as long as nothing re-randomizes it, so it is used without locking.</item>
/// <item><see cref="Signing"/> is used for secret-key operations (signing, public key derivation)
/// and only while holding <see cref="SigningLock"/>, so it can be re-randomized
/// (<see cref="RerandomizeSigning"/>) without racing a signer.</item>
/// </list>
/// </summary>
internal static class Secp256k1Context
{
    public static readonly nint Shared;
    public static readonly nint Signing;
    public static readonly Lock SigningLock = new();

    static Secp256k1Context()
    {
        try
        {
            Shared = Create();
            Signing = Create();
        }
        catch (DllNotFoundException e)
        {
            throw new PlatformNotSupportedException(
                "libsecp256k1.so.1 was not found; install the native library (Debian/Ubuntu: apt-get install libsecp256k1-1)", e);
        }
    }

    private static unsafe nint Create()
    {
        var ctx = Secp256k1Native.ContextCreate(Secp256k1Native.ContextSign | Secp256k1Native.ContextVerify);
        if (ctx == 0) throw new CryptographicException("secp256k1_context_create failed");
        Randomize(ctx);
        return ctx;
    }

    private static unsafe void Randomize(nint ctx)
    {
        Span<byte> seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(seed);
        fixed (byte* s = seed)
        {
            var ok = Secp256k1Native.ContextRandomize(ctx, s);
            CryptographicOperations.ZeroMemory(seed);
            if (ok != 1) throw new CryptographicException("secp256k1_context_randomize failed");
        }
    }

    /// <summary>Fresh blinding for the signing context (side-channel hardening).</summary>
    public static void RerandomizeSigning()
    {
        lock (SigningLock) Randomize(Signing);
    }
}
