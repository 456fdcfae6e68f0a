using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>The phases of a pools close (docs/pools.md, "The close spread over blocks").</summary>
public enum PoolClosePhase : byte
{
    /// <summary>The epoch's memberships in address order, a chunk per block, into per-pool sums and per-member candidates.</summary>
    Tallying = 1,
    /// <summary>The candidates in (pool, address) order, a chunk per block: contributions of eligible pools and their members' rewards.</summary>
    Paying = 2,
}

/// <summary>
/// The running pools close between blocks (key 'X'): the epoch, the phase, and the cursor: the last
/// account tallied (phase 1) or the last candidate key paid (phase 2); empty: from the start.
/// </summary>
public sealed record PoolCloseProgress(ulong Epoch, PoolClosePhase Phase, byte[] Cursor)
{
    public byte[]? After => Cursor.Length == 0 ? null : Cursor;

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Epoch), Rlp.EncodeUInt((ulong)Phase), Rlp.EncodeBytes(Cursor));

    public static PoolCloseProgress Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(3, "pool close progress");
        return new PoolCloseProgress(f[0].AsUInt64(), (PoolClosePhase)f[1].AsUInt64(), f[2].Bytes);
    }
}

/// <summary>
/// One pool's sums so far in an epoch's close (key 'A' epoch ‖ pool): its PoE (all members'),
/// members, verified members, and the PoE of its registered members (what the members' part is
/// split over). Kept until the close ends.
/// </summary>
public sealed record PoolCloseSums(UInt128 Poe, ulong Members, ulong VerifiedMembers, UInt128 PayingPoe)
{
    public static readonly PoolCloseSums Zero = new(0, 0, 0, 0);

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Poe), Rlp.EncodeUInt(Members), Rlp.EncodeUInt(VerifiedMembers), Rlp.EncodeUInt(PayingPoe));

    public static PoolCloseSums Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(4, "pool close sums");
        return new PoolCloseSums(f[0].AsUInt128(), f[1].AsUInt64(), f[2].AsUInt64(), f[3].AsUInt128());
    }
}

/// <summary>A member with PoE in the epoch, tallied and waiting for the payout phase (key 'W' epoch ‖ pool ‖ account): its PoE and whether it was registered.</summary>
public readonly record struct PoolCandidate(UInt128 Poe, bool Registered)
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Poe), Rlp.EncodeBool(Registered));

    public static PoolCandidate Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(2, "pool candidate");
        return new PoolCandidate(f[0].AsUInt128(), f[1].AsBool());
    }
}
