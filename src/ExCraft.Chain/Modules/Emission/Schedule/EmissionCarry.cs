using System.Buffers.Binary;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>
/// Base units of each share that a cycle released but did not pay: the whole share when no one
/// was eligible, or what pro-rata rounding left over. They are added to the next cycle of the
/// same share (SPEC 2), after the schedule's last cycle too, until someone is eligible. The
/// emission module keeps one of these in state; it is immutable, so a failed settlement changes
/// nothing. Invariant: released so far = paid so far + carry, for each share.
/// </summary>
public readonly record struct EmissionCarry(ShareAmounts Carried)
{
    /// <summary>State encoding: PoE, pools, PoS, each 16 bytes big-endian.</summary>
    public const int EncodedLength = 48;

    public static EmissionCarry None => default;

    /// <summary>What each share may pay this cycle: its carry plus the cycle's scheduled split.</summary>
    public ShareAmounts Available(ShareAmounts scheduled) => Carried + scheduled;

    /// <summary>
    /// The carry after a cycle in which <paramref name="paid"/> left each share out of
    /// <see cref="Available"/>(scheduled). Paying more than is available is an error (that would mint).
    /// </summary>
    public EmissionCarry Settle(ShareAmounts scheduled, ShareAmounts paid)
    {
        var available = Available(scheduled);
        foreach (var share in EmissionShares.All)
        {
            if (paid[share] > available[share])
            {
                throw new InvalidOperationException($"{share} paid {Amount.Format(paid[share])} EXT but only {Amount.Format(available[share])} EXT was available (carry plus this cycle's share)");
            }
        }
        return new EmissionCarry(available - paid);
    }

    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(0, 16), Carried.ProofOfExistence);
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(16, 16), Carried.Pools);
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(32, 16), Carried.ProofOfStake);
        return bytes;
    }

    public static EmissionCarry Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != EncodedLength) throw new FormatException($"emission carry is {EncodedLength} bytes, got {bytes.Length}");
        return new EmissionCarry(new ShareAmounts(
            BinaryPrimitives.ReadUInt128BigEndian(bytes[..16]),
            BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(16, 16)),
            BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(32, 16))));
    }
}
