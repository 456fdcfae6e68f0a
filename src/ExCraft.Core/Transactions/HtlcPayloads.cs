using System.Buffers.Binary;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>Sizes and the id rule of hash-time-locked contracts (docs/htlc.md).</summary>
public static class HtlcRules
{
    /// <summary>The hash lock is SHA-256, 32 bytes, the same on every chain (SPEC 9).</summary>
    public const int HashLength = 32;

    /// <summary>The secret is exactly 32 bytes on every chain, so a claim on one chain always fits the other's script or contract.</summary>
    public const int PreimageLength = 32;

    /// <summary>An HTLC id is a keccak256 hash (<see cref="IdOf"/>).</summary>
    public const int IdLength = 32;

    /// <summary>
    /// An HTLC's id: keccak256(sender (20 bytes) ‖ nonce of the lock transaction (8 bytes, big-endian)).
    /// A wallet knows it before the lock is even sent, and no two locks share one (nonces never repeat).
    /// </summary>
    public static byte[] IdOf(Address sender, ulong lockNonce)
    {
        Span<byte> input = stackalloc byte[Address.Length + 8];
        sender.WriteTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input[Address.Length..], lockNonce);
        return Keccak256.Hash(input);
    }
}

/// <summary>
/// Locks an amount of an asset from the sender's balance: the recipient can claim it with the
/// SHA-256 preimage of HashLock while the chain is below TimeoutHeight; from that height on it can
/// be refunded to RefundAddress.
/// </summary>
[TxPayloadKind(TxKind.HtlcLock, "htlc_lock")]
public sealed record HtlcLockPayload(Address Recipient, string Asset, UInt128 Amount, byte[] HashLock, ulong TimeoutHeight, Address RefundAddress) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Recipient.ToBytes()), Rlp.EncodeString(Asset), Rlp.EncodeUInt(Amount),
        Rlp.EncodeBytes(HashLock), Rlp.EncodeUInt(TimeoutHeight), Rlp.EncodeBytes(RefundAddress.ToBytes()));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Address("recipient", "recipient", Recipient), PayloadField.Asset("asset", "asset", Asset),
        PayloadField.Amount("amount", "amount", Amount, Asset), PayloadField.Bytes("hashLock", "hash lock", HashLock),
        PayloadField.Integer("timeoutHeight", "timeout height", TimeoutHeight), PayloadField.Address("refundAddress", "refund address", RefundAddress),
    ];

    internal static HtlcLockPayload Decode(RlpItem item)
    {
        var f = item.ListOf(6, "htlc_lock payload");
        return new HtlcLockPayload(new Address(f[0].AsFixed(Address.Length, "recipient")), f[1].AsUtf8(), f[2].AsUInt128(),
            f[3].AsFixed(HtlcRules.HashLength, "hash lock"), f[4].AsUInt64(), new Address(f[5].AsFixed(Address.Length, "refund address")));
    }
}

/// <summary>Claims an open HTLC with its 32-byte preimage before the timeout height; the amount goes to the HTLC's recipient, whoever submits it.</summary>
[TxPayloadKind(TxKind.HtlcClaim, "htlc_claim")]
public sealed record HtlcClaimPayload(byte[] Id, byte[] Preimage) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Id), Rlp.EncodeBytes(Preimage));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Bytes("id", "HTLC id", Id), PayloadField.Bytes("preimage", "preimage", Preimage)];

    internal static HtlcClaimPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "htlc_claim payload");
        return new HtlcClaimPayload(f[0].AsFixed(HtlcRules.IdLength, "HTLC id"), f[1].AsFixed(HtlcRules.PreimageLength, "preimage"));
    }
}

/// <summary>Refunds an open HTLC from its timeout height on; the amount goes to the HTLC's refund address, whoever submits it.</summary>
[TxPayloadKind(TxKind.HtlcRefund, "htlc_refund")]
public sealed record HtlcRefundPayload(byte[] Id) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Id));

    public override IReadOnlyList<PayloadField> Describe() => [PayloadField.Bytes("id", "HTLC id", Id)];

    internal static HtlcRefundPayload Decode(RlpItem item)
    {
        var f = item.ListOf(1, "htlc_refund payload");
        return new HtlcRefundPayload(f[0].AsFixed(HtlcRules.IdLength, "HTLC id"));
    }
}
