using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>Where an HTLC stands: open until claimed or refunded, then settled for good.</summary>
public enum HtlcStatus : byte
{
    Locked = 0,
    Claimed = 1,
    Refunded = 2,
}

/// <summary>
/// One HTLC as stored: its terms, the height it was locked at, its status, and once settled the
/// height it settled at (and for a claim the preimage, so a swap's other side can read it back).
/// </summary>
public sealed record HtlcRecord(
    byte[] Id,
    Address Sender,
    Address Recipient,
    string Asset,
    UInt128 Amount,
    byte[] HashLock,
    ulong TimeoutHeight,
    Address RefundAddress,
    ulong LockHeight,
    HtlcStatus Status,
    byte[]? Preimage,
    ulong SettledHeight)
{
    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeBytes(Sender.ToBytes()), Rlp.EncodeBytes(Recipient.ToBytes()), Rlp.EncodeString(Asset), Rlp.EncodeUInt(Amount),
        Rlp.EncodeBytes(HashLock), Rlp.EncodeUInt(TimeoutHeight), Rlp.EncodeBytes(RefundAddress.ToBytes()), Rlp.EncodeUInt(LockHeight),
        Rlp.EncodeUInt((byte)Status), Rlp.EncodeBytes(Preimage ?? []), Rlp.EncodeUInt(SettledHeight));

    public static HtlcRecord Decode(byte[] id, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(11, "htlc record");
        var status = f[8].AsUInt64() switch
        {
            0 => HtlcStatus.Locked,
            1 => HtlcStatus.Claimed,
            2 => HtlcStatus.Refunded,
            var v => throw new RlpException($"htlc status {v} is unknown"),
        };
        var preimage = f[9].Bytes;
        return new HtlcRecord(id, new Address(f[0].AsFixed(Address.Length, "sender")), new Address(f[1].AsFixed(Address.Length, "recipient")),
            f[2].AsUtf8(), f[3].AsUInt128(), f[4].Bytes, f[5].AsUInt64(), new Address(f[6].AsFixed(Address.Length, "refund address")),
            f[7].AsUInt64(), status, preimage.Length == 0 ? null : preimage, f[10].AsUInt64());
    }
}
