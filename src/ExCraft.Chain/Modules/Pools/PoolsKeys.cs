using ExCraft.Core;

namespace ExCraft.Chain.Modules.Pools;

/// <summary>
/// State keys of the pools module: prefix 0x05 (its kind block is 50-59), then a tag per record
/// kind (docs/pools.md has the table). Epochs and pool ids are 8-byte big-endian, so a prefix scan
/// is in epoch, then pool id, then address order.
/// </summary>
public static class PoolsKeys
{
    public static readonly byte[] Prefix = [0x05];

    private const byte NextIdTag = (byte)'N';
    private const byte PoolTag = (byte)'p';
    private const byte NameTag = (byte)'n';
    private const byte MembershipTag = (byte)'m';
    private const byte MemberIndexTag = (byte)'i';
    private const byte ReleaseTag = (byte)'r';
    private const byte StatsTag = (byte)'s';
    private const byte ContributionTag = (byte)'c';
    private const byte LockedTag = (byte)'L';
    private const byte PendingTallyTag = (byte)'T';
    private const byte EpochPoolTag = (byte)'S';
    private const byte CloseSumsTag = (byte)'A';
    private const byte CandidateTag = (byte)'W';
    private const byte CloseProgressTag = (byte)'X';

    /// <summary>The running pools close (docs/pools.md, "The close spread over blocks"): epoch, phase, cursor.</summary>
    public static readonly byte[] CloseProgress = StateKey.Of(Prefix, CloseProgressTag).Build();

    /// <summary>A pool's running sums in the close of an epoch: PoE, members, verified members, registered members' PoE (deleted when the close ends).</summary>
    public static byte[] CloseSums(ulong epoch, ulong pool) => StateKey.Of(Prefix, CloseSumsTag).UInt64(epoch).UInt64(pool).Build();

    public static byte[] CloseSumsOf(ulong epoch) => StateKey.Of(Prefix, CloseSumsTag).UInt64(epoch).Build();

    /// <summary>A member's PoE in its pool, tallied and waiting for the payout phase (becomes a contribution if the pool is eligible).</summary>
    public static byte[] Candidate(ulong epoch, ulong pool, Address account) => StateKey.Of(Prefix, CandidateTag).UInt64(epoch).UInt64(pool).Address(account).Build();

    public static byte[] CandidatesOf(ulong epoch) => StateKey.Of(Prefix, CandidateTag).UInt64(epoch).Build();

    /// <summary>(pool, account) of a candidate or contribution key (both tag ‖ epoch ‖ pool ‖ account).</summary>
    public static (ulong Pool, Address Account) PoolAndAccountOf(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.UInt64();
        var pool = reader.UInt64();
        return (pool, reader.Address());
    }

    /// <summary>An ended epoch whose tally waits for its PoE report → the epoch's last height (u64; KYC standing is read as of it).</summary>
    public static byte[] PendingTally(ulong epoch) => StateKey.Of(Prefix, PendingTallyTag).UInt64(epoch).Build();

    public static readonly byte[] AllPendingTallies = StateKey.Of(Prefix, PendingTallyTag).Build();

    public static ulong EpochOfPendingTally(byte[] key) => new StateKeyReader(key, Prefix.Length).UInt64();

    /// <summary>
    /// The pool an account was in during a pending (not yet tallied) epoch, kept when a membership
    /// change would otherwise lose it (u64; 0: none); deleted with the epoch's tally.
    /// </summary>
    public static byte[] EpochPool(ulong epoch, Address account) => StateKey.Of(Prefix, EpochPoolTag).UInt64(epoch).Address(account).Build();

    public static byte[] EpochPools(ulong epoch) => StateKey.Of(Prefix, EpochPoolTag).UInt64(epoch).Build();

    public static Address AccountOfEpochPool(byte[] key)
    {
        var r = new StateKeyReader(key, Prefix.Length);
        r.UInt64();
        return r.Address();
    }

    /// <summary>The id the next pool gets (u64; absent means 1).</summary>
    public static readonly byte[] NextId = StateKey.Of(Prefix, NextIdTag).Build();

    /// <summary>The total EXT locked as pool stakes (u128), part of the supply held by the module.</summary>
    public static readonly byte[] Locked = StateKey.Of(Prefix, LockedTag).Build();

    public static byte[] Pool(ulong id) => StateKey.Of(Prefix, PoolTag).UInt64(id).Build();

    public static readonly byte[] AllPools = StateKey.Of(Prefix, PoolTag).Build();

    /// <summary>A live pool's name → its id (names are unique among pools not deleted).</summary>
    public static byte[] Name(string name) => StateKey.Of(Prefix, NameTag).String(name).Build();

    public static byte[] Membership(Address account) => StateKey.Of(Prefix, MembershipTag).Address(account).Build();

    public static readonly byte[] AllMemberships = StateKey.Of(Prefix, MembershipTag).Build();

    public static Address AccountOfMembershipKey(byte[] key) => new StateKeyReader(key, Prefix.Length).Address();

    /// <summary>Index of the accounts whose latest membership is the pool (joined, whether it counts yet or from the next epoch).</summary>
    public static byte[] MemberIndex(ulong pool, Address account) => StateKey.Of(Prefix, MemberIndexTag).UInt64(pool).Address(account).Build();

    public static byte[] MemberIndexOf(ulong pool) => StateKey.Of(Prefix, MemberIndexTag).UInt64(pool).Build();

    public static Address AccountOfMemberIndexKey(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.UInt64();
        return reader.Address();
    }

    /// <summary>A deleted pool's stake, returned at the end of the epoch named.</summary>
    public static byte[] Release(ulong epoch, ulong pool) => StateKey.Of(Prefix, ReleaseTag).UInt64(epoch).UInt64(pool).Build();

    public static byte[] ReleasesOf(ulong epoch) => StateKey.Of(Prefix, ReleaseTag).UInt64(epoch).Build();

    public static ulong PoolOfReleaseKey(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.UInt64();
        return reader.UInt64();
    }

    /// <summary>A pool's record for one closed epoch: PoE, members, verified members, eligibility, rewards.</summary>
    public static byte[] Stats(ulong epoch, ulong pool) => StateKey.Of(Prefix, StatsTag).UInt64(epoch).UInt64(pool).Build();

    public static byte[] StatsOf(ulong epoch) => StateKey.Of(Prefix, StatsTag).UInt64(epoch).Build();

    /// <summary>A member's contributed PoE to an eligible pool in an epoch, and what it was paid.</summary>
    public static byte[] Contribution(ulong epoch, ulong pool, Address account) =>
        StateKey.Of(Prefix, ContributionTag).UInt64(epoch).UInt64(pool).Address(account).Build();

    public static byte[] ContributionsOf(ulong epoch, ulong pool) => StateKey.Of(Prefix, ContributionTag).UInt64(epoch).UInt64(pool).Build();

    public static Address AccountOfContributionKey(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.UInt64();
        reader.UInt64();
        return reader.Address();
    }
}
