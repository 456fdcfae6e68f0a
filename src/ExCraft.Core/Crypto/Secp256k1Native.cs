using System.Runtime.InteropServices;

namespace ExCraft.Core.Crypto;

/// <summary>
/// Raw bindings to libsecp256k1 (Debian libsecp256k1-1, built with the recovery module).
/// All opaque structures are passed as byte pointers: secp256k1_pubkey and secp256k1_ecdsa_signature
/// are 64 bytes, secp256k1_ecdsa_recoverable_signature is 65 bytes. Their contents are
/// implementation-defined and must never be persisted; serialize instead.
/// Callers must validate arguments first: illegal arguments make the library's default
/// callback abort the process.
/// </summary>
internal static unsafe partial class Secp256k1Native
{
    private const string Lib = "libsecp256k1.so.1";

    // include/secp256k1.h
    public const uint ContextVerify = (1 << 0) | (1 << 8);
    public const uint ContextSign = (1 << 0) | (1 << 9);
    public const uint EcCompressed = (1 << 1) | (1 << 8);
    public const uint EcUncompressed = 1 << 1;

    public const int PubKeySize = 64;
    public const int SignatureSize = 64;
    public const int RecoverableSignatureSize = 65;

    [LibraryImport(Lib, EntryPoint = "secp256k1_context_create")]
    public static partial nint ContextCreate(uint flags);

    [LibraryImport(Lib, EntryPoint = "secp256k1_context_destroy")]
    public static partial void ContextDestroy(nint ctx);

    [LibraryImport(Lib, EntryPoint = "secp256k1_context_randomize")]
    public static partial int ContextRandomize(nint ctx, byte* seed32);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ec_seckey_verify")]
    public static partial int SecKeyVerify(nint ctx, byte* seckey32);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ec_pubkey_create")]
    public static partial int PubKeyCreate(nint ctx, byte* pubkey64, byte* seckey32);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ec_pubkey_parse")]
    public static partial int PubKeyParse(nint ctx, byte* pubkey64, byte* input, nuint inputLength);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ec_pubkey_serialize")]
    public static partial int PubKeySerialize(nint ctx, byte* output, nuint* outputLength, byte* pubkey64, uint flags);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_signature_parse_compact")]
    public static partial int SignatureParseCompact(nint ctx, byte* sig64, byte* input64);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_signature_normalize")]
    public static partial int SignatureNormalize(nint ctx, byte* sigOut64, byte* sigIn64);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_verify")]
    public static partial int Verify(nint ctx, byte* sig64, byte* msg32, byte* pubkey64);

    // include/secp256k1_recovery.h
    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_recoverable_signature_parse_compact")]
    public static partial int RecoverableSignatureParseCompact(nint ctx, byte* sig65, byte* input64, int recid);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_recoverable_signature_serialize_compact")]
    public static partial int RecoverableSignatureSerializeCompact(nint ctx, byte* output64, int* recid, byte* sig65);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_recoverable_signature_convert")]
    public static partial int RecoverableSignatureConvert(nint ctx, byte* sig64, byte* sigIn65);

    /// <summary>noncefp = 0 selects the default nonce function (RFC 6979).</summary>
    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_sign_recoverable")]
    public static partial int SignRecoverable(nint ctx, byte* sig65, byte* msg32, byte* seckey32, nint noncefp, nint ndata);

    [LibraryImport(Lib, EntryPoint = "secp256k1_ecdsa_recover")]
    public static partial int Recover(nint ctx, byte* pubkey64, byte* sig65, byte* msg32);
}
