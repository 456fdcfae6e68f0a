using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>
/// State keys of the htlc module: prefix 0x08 (its kind block is 80-89), then a tag per record
/// kind. An HTLC id is 32 raw bytes; <see cref="StateKey"/> has no part for fixed bytes, so the id
/// is appended to the built key (it is always last and always 32 bytes, so nothing can follow it).
/// </summary>
public static class HtlcKeys
{
    public static readonly byte[] Prefix = [0x08];

    private const byte HtlcTag = (byte)'h';
    private const byte AccountIndexTag = (byte)'a';
    private const byte LockedTag = (byte)'l';
    private const byte HashLockIndexTag = (byte)'k';

    /// <summary>The HTLC record by id.</summary>
    public static byte[] Htlc(byte[] id) => WithId(StateKey.Of(Prefix, HtlcTag).Build(), id);

    /// <summary>Every index entry of one account (as sender or recipient) shares this prefix, in lock height order.</summary>
    public static byte[] AccountIndexPrefix(Address account) => StateKey.Of(Prefix, AccountIndexTag).Address(account).Build();

    public static byte[] AccountIndex(Address account, ulong lockHeight, byte[] id) =>
        WithId(StateKey.Of(Prefix, AccountIndexTag).Address(account).UInt64(lockHeight).Build(), id);

    /// <summary>The HTLC id at the end of an index key (account or hash lock index).</summary>
    public static byte[] IdOfAccountIndexKey(byte[] key) => key[^HtlcRules.IdLength..];

    /// <summary>
    /// Every HTLC locked under one hash lock shares this prefix: 0x08 'k' ‖ hash lock (32 bytes). The
    /// full key adds the lock height (8 bytes, big-endian, so entries sort oldest first) and the id
    /// (32 bytes); the value is empty. It lets htlc_getByHashLock answer in one prefix scan.
    /// </summary>
    public static byte[] HashLockIndexPrefix(byte[] hashLock)
    {
        if (hashLock.Length != HtlcRules.HashLength) throw new ArgumentException($"an HTLC hash lock is {HtlcRules.HashLength} bytes, got {hashLock.Length}");
        return [.. StateKey.Of(Prefix, HashLockIndexTag).Build(), .. hashLock];
    }

    public static byte[] HashLockIndex(byte[] hashLock, ulong lockHeight, byte[] id)
    {
        var height = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(height, lockHeight);
        return WithId([.. HashLockIndexPrefix(hashLock), .. height], id);
    }

    /// <summary>The total of an asset held by open HTLCs (the module's escrow, part of the asset's supply).</summary>
    public static byte[] Locked(string asset) => StateKey.Of(Prefix, LockedTag).String(asset).Build();

    public static readonly byte[] AllLocked = StateKey.Of(Prefix, LockedTag).Build();

    public static string AssetOfLockedKey(byte[] key) => new StateKeyReader(key, Prefix.Length).String();

    private static byte[] WithId(byte[] key, byte[] id)
    {
        if (id.Length != HtlcRules.IdLength) throw new ArgumentException($"an HTLC id is {HtlcRules.IdLength} bytes, got {id.Length}");
        return [.. key, .. id];
    }
}
