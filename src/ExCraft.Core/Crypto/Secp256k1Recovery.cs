using Secp256k1Net;

namespace ExCraft.Core.Crypto;

/// <summary>
/// Public key recovery ("ecrecover"): finds the key that produced a signature over a hash.
/// Only canonical signatures are accepted: 0 &lt; r &lt; n, 0 &lt; s &lt;= n/2 (low-S), recovery id 0 or 1.
/// Thread-safe; uses the shared libsecp256k1 context without locking.
/// </summary>
public static class Secp256k1Recovery
{
    internal enum Status
    {
        Ok,
        HashLength,
        BadRecoveryId,
        RZero,
        ROutOfRange,
        SZero,
        SOutOfRange,
        HighS,
        ParseFailed,
        NoKey,
    }

    /// <summary>Recovers the signer's public key; false with an explanation when the signature is not acceptable.</summary>
    public static bool TryRecover(ReadOnlySpan<byte> hash32, Signature signature, out PublicKey? publicKey, out string error)
    {
        Span<byte> native = stackalloc byte[Secp256k1Context.PubKeySize];
        var status = RecoverNative(hash32, signature.Span, native);
        if (status != Status.Ok)
        {
            publicKey = null;
            error = Describe(status, hash32.Length);
            return false;
        }
        publicKey = PublicKey.FromNative(native);
        error = "";
        return true;
    }

    /// <summary>Recovers the signer's address without building a <see cref="PublicKey"/>.</summary>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, Signature signature, out Address address, out string error)
    {
        var status = TryRecoverAddressCore(hash32, signature.Span, out address);
        error = status == Status.Ok ? "" : Describe(status, hash32.Length);
        return status == Status.Ok;
    }

    /// <summary>The allocation-light path shared with <see cref="ParallelSignatureRecovery"/>: no error strings.</summary>
    internal static Status TryRecoverAddressCore(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature65, out Address address)
    {
        Span<byte> native = stackalloc byte[Secp256k1Context.PubKeySize];
        var status = RecoverNative(hash32, signature65, native);
        if (status != Status.Ok)
        {
            address = default;
            return status;
        }
        Span<byte> uncompressed = stackalloc byte[PublicKey.UncompressedLength];
        PublicKey.SerializeInto(native, uncompressed, Secp256k1EcFlags.Uncompressed);
        address = Address.FromUncompressedPublicKey(uncompressed);
        return Status.Ok;
    }

    /// <summary>Range and low-S checks on r || s || v, done before the library sees the bytes.</summary>
    internal static Status Check(ReadOnlySpan<byte> signature65)
    {
        if (signature65[64] > 1) return Status.BadRecoveryId;
        var r = signature65[..32];
        var s = signature65[32..64];
        if (Secp256k1Curve.IsZero(r)) return Status.RZero;
        if (!Secp256k1Curve.IsBelowOrder(r)) return Status.ROutOfRange;
        if (Secp256k1Curve.IsZero(s)) return Status.SZero;
        if (!Secp256k1Curve.IsBelowOrder(s)) return Status.SOutOfRange;
        if (!Secp256k1Curve.IsLow(s)) return Status.HighS;
        return Status.Ok;
    }

    /// <summary>Writes the opaque secp256k1_pubkey (64 bytes) on success.</summary>
    private static Status RecoverNative(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature65, Span<byte> native64)
    {
        if (hash32.Length != 32) return Status.HashLength;
        var status = Check(signature65);
        if (status != Status.Ok) return status;

        var library = Secp256k1Context.Shared;
        Span<byte> recoverable = stackalloc byte[Secp256k1Context.RecoverableSignatureSize];
        if (!library.EcdsaRecoverableSignatureParseCompact(recoverable, signature65[..64], signature65[64]))
            return Status.ParseFailed;
        if (!library.EcdsaRecover(native64, recoverable, hash32))
            return Status.NoKey;
        return Status.Ok;
    }

    internal static string Describe(Status status, int hashLength) => status switch
    {
        Status.Ok => "",
        Status.HashLength => $"hash must be 32 bytes, got {hashLength}",
        Status.BadRecoveryId => "recovery id must be 0 or 1",
        Status.RZero => "signature r is zero",
        Status.ROutOfRange => "signature r is not below the curve order",
        Status.SZero => "signature s is zero",
        Status.SOutOfRange => "signature s is not below the curve order",
        Status.HighS => "signature s is high (s > n/2); only low-S signatures are accepted",
        Status.ParseFailed => "signature could not be parsed",
        Status.NoKey => "no public key can be recovered from this signature and hash",
        _ => status.ToString(),
    };
}
