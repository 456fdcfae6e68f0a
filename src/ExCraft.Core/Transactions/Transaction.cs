using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// A signed transaction. Wire form: rlp([chain_id, nonce, fee, kind, payload, signature]);
/// signing hash: keccak256(rlp([chain_id, nonce, fee, kind, payload])); hash: keccak256 of the
/// wire form. docs/spec/transactions.md has the byte layout and a worked example.
/// </summary>
public sealed class Transaction
{
    public const int MaxEncodedLength = 16 * 1024;

    public ulong ChainId { get; }
    public ulong Nonce { get; }
    public UInt128 Fee { get; }
    public TxPayload Payload { get; }
    public Signature Signature { get; }
    public byte[] Encoded { get; }
    public byte[] Hash { get; }
    public byte[] SigningHash { get; }

    private Transaction(ulong chainId, ulong nonce, UInt128 fee, TxPayload payload, Signature signature, byte[] encoded, byte[] signingHash, byte[]? hash = null)
    {
        ChainId = chainId;
        Nonce = nonce;
        Fee = fee;
        Payload = payload;
        Signature = signature;
        Encoded = encoded;
        Hash = hash ?? Keccak256.Hash(encoded);
        SigningHash = signingHash;
    }

    public TxKind Kind => Payload.Kind;

    public static byte[] EncodeUnsigned(ulong chainId, ulong nonce, UInt128 fee, TxPayload payload) =>
        Rlp.EncodeList(Rlp.EncodeUInt(chainId), Rlp.EncodeUInt(nonce), Rlp.EncodeUInt(fee), Rlp.EncodeUInt((ulong)payload.Kind), payload.Encode());

    public static byte[] ComputeSigningHash(ulong chainId, ulong nonce, UInt128 fee, TxPayload payload) =>
        Keccak256.Hash(EncodeUnsigned(chainId, nonce, fee, payload));

    public static Transaction Create(ulong chainId, ulong nonce, UInt128 fee, TxPayload payload, PrivateKey key)
    {
        var signingHash = ComputeSigningHash(chainId, nonce, fee, payload);
        var signature = key.Sign(signingHash);
        return new Transaction(chainId, nonce, fee, payload, signature, EncodeSigned(EncodeUnsigned(chainId, nonce, fee, payload), signature), signingHash);
    }

    /// <summary>The wire form: the unsigned list with the signature appended as a sixth item.</summary>
    private static byte[] EncodeSigned(byte[] unsignedList, Signature signature) =>
        Rlp.AppendToList(unsignedList, Rlp.EncodeBytes(signature.ToBytes()));

    /// <summary>Decodes the wire form; throws RlpException/FormatException naming the problem.</summary>
    /// <param name="hash">keccak256 of <paramref name="encoded"/> when the caller already computed it.</param>
    public static Transaction Decode(byte[] encoded, byte[]? hash = null)
    {
        if (encoded.Length > MaxEncodedLength)
            throw new RlpException($"transaction is {encoded.Length} bytes, more than the limit of {MaxEncodedLength}");
        var f = Rlp.Decode(encoded).ListOf(6, "transaction");
        var chainId = f[0].AsUInt64();
        var nonce = f[1].AsUInt64();
        var fee = f[2].AsUInt128();
        var kindValue = f[3].AsUInt64();
        if (kindValue > byte.MaxValue || !Enum.IsDefined((TxKind)kindValue)) throw new RlpException($"unknown transaction kind {kindValue}");
        var payload = TxPayload.Decode((TxKind)kindValue, f[4]);
        if (!Signature.TryParse(f[5].Bytes, out var signature, out var error)) throw new FormatException($"invalid signature: {error}");
        var unsigned = EncodeUnsigned(chainId, nonce, fee, payload);
        // Re-encoding must give back the input (e.g. text fields that are not valid UTF-8 would
        // not): together with strict RLP this gives every transaction exactly one hash.
        if (!EncodeSigned(unsigned, signature).AsSpan().SequenceEqual(encoded))
            throw new RlpException("transaction encoding is not canonical");
        return new Transaction(chainId, nonce, fee, payload, signature, encoded, Keccak256.Hash(unsigned), hash);
    }

    /// <summary>Recovers the sender from the signature; false with an error for a bad or high-S signature.</summary>
    public bool TryRecoverSender(out Address sender, out string error) =>
        Secp256k1Recovery.TryRecoverAddress(SigningHash, Signature, out sender, out error);
}
