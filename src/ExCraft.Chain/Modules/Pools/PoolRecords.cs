using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>
/// One pool as stored. RetainedPpm is the master's share of the pool's rewards; BaseRetainedPpm is
/// the value at the start of epoch BaseEpoch (the reference the per-epoch change limit is measured
/// from). Members counts the accounts whose latest membership is this pool. A deleted pool keeps
/// its record (its per-epoch history stays readable); its stake returns at the end of DeletedEpoch + 1.
/// </summary>
public sealed record PoolRecord(
    ulong Id,
    string Name,
    Address Master,
    uint RetainedPpm,
    uint BaseRetainedPpm,
    ulong BaseEpoch,
    UInt128 Stake,
    ulong CreatedEpoch,
    ulong CreatedHeight,
    ulong Members,
    bool Deleted,
    ulong DeletedEpoch,
    bool StakeReturned)
{
    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeString(Name), Rlp.EncodeBytes(Master.ToBytes()), Rlp.EncodeUInt(RetainedPpm), Rlp.EncodeUInt(BaseRetainedPpm),
        Rlp.EncodeUInt(BaseEpoch), Rlp.EncodeUInt(Stake), Rlp.EncodeUInt(CreatedEpoch), Rlp.EncodeUInt(CreatedHeight), Rlp.EncodeUInt(Members),
        Rlp.EncodeBool(Deleted), Rlp.EncodeUInt(DeletedEpoch), Rlp.EncodeBool(StakeReturned));

    public static PoolRecord Decode(ulong id, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(12, "pool record");
        return new PoolRecord(id, f[0].AsUtf8(), new Address(f[1].AsFixed(Address.Length, "master")), checked((uint)f[2].AsUInt64()),
            checked((uint)f[3].AsUInt64()), f[4].AsUInt64(), f[5].AsUInt128(), f[6].AsUInt64(), f[7].AsUInt64(), f[8].AsUInt64(),
            f[9].AsBool(), f[10].AsUInt64(), f[11].AsBool());
    }

    /// <summary>The epoch at whose end a deleted pool's stake returns.</summary>
    public ulong ReleaseEpoch => DeletedEpoch + 1;
}

/// <summary>
/// An account's pool membership: Pool (0: none) counts from FromEpoch on; before that, Previous
/// (0: none) is the pool of the epoch. A join, leave or move in epoch e writes FromEpoch = e + 1,
/// so PoE earned in e stays with the pool it was earned in (SPEC 8).
/// </summary>
public sealed record PoolMembership(Address Account, ulong Pool, ulong FromEpoch, ulong Previous)
{
    public ulong PoolOf(ulong epoch) => epoch >= FromEpoch ? Pool : Previous;

    /// <summary>The membership after switching to <paramref name="pool"/> (0: none) during <paramref name="epoch"/>: it counts from the next epoch; a second switch in one epoch keeps the epoch's pool.</summary>
    public PoolMembership SwitchTo(ulong pool, ulong epoch) => new(Account, pool, epoch + 1, PoolOf(epoch));

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Pool), Rlp.EncodeUInt(FromEpoch), Rlp.EncodeUInt(Previous));

    public static PoolMembership Decode(Address account, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(3, "pool membership");
        return new PoolMembership(account, f[0].AsUInt64(), f[1].AsUInt64(), f[2].AsUInt64());
    }
}

/// <summary>
/// A pool's record for one closed epoch (kept for good: the Senate and Grand Pool Master rules
/// read 14-epoch averages). Rank is by pool PoE among the pools with enough verified members
/// (0: not ranked); Reward is what the pool was allotted of the pools share, MasterReward and
/// MembersReward what was paid (an unregistered master's or members' part is not paid and carries).
/// </summary>
public sealed record PoolEpochStats(
    ulong Epoch,
    ulong Pool,
    Address Master,
    uint RetainedPpm,
    UInt128 Poe,
    ulong Members,
    ulong VerifiedMembers,
    ulong Rank,
    bool Eligible,
    UInt128 Reward,
    UInt128 MasterReward,
    UInt128 MembersReward,
    ulong Payments)
{
    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeBytes(Master.ToBytes()), Rlp.EncodeUInt(RetainedPpm), Rlp.EncodeUInt(Poe), Rlp.EncodeUInt(Members), Rlp.EncodeUInt(VerifiedMembers),
        Rlp.EncodeUInt(Rank), Rlp.EncodeBool(Eligible), Rlp.EncodeUInt(Reward), Rlp.EncodeUInt(MasterReward), Rlp.EncodeUInt(MembersReward),
        Rlp.EncodeUInt(Payments));

    public static PoolEpochStats Decode(ulong epoch, ulong pool, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(11, "pool epoch stats");
        return new PoolEpochStats(epoch, pool, new Address(f[0].AsFixed(Address.Length, "master")), checked((uint)f[1].AsUInt64()), f[2].AsUInt128(),
            f[3].AsUInt64(), f[4].AsUInt64(), f[5].AsUInt64(), f[6].AsBool(), f[7].AsUInt128(), f[8].AsUInt128(), f[9].AsUInt128(), f[10].AsUInt64());
    }
}

/// <summary>A member's PoE contributed to an eligible pool in an epoch, whether it was registered then, and the reward it was paid.</summary>
public sealed record PoolContribution(Address Account, UInt128 Poe, bool Registered, UInt128 Reward)
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Poe), Rlp.EncodeBool(Registered), Rlp.EncodeUInt(Reward));

    public static PoolContribution Decode(Address account, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(3, "pool contribution");
        return new PoolContribution(account, f[0].AsUInt128(), f[1].AsBool(), f[2].AsUInt128());
    }
}
