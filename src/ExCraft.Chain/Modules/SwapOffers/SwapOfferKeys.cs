using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>
/// State keys of the swapoffers module: prefix 0x07 (reserved for swap offers in docs/modules.md),
/// then a tag per record kind. An offer id is 32 raw bytes, appended last to the built key
/// (<see cref="StateKey"/> has no fixed-bytes part), so nothing can follow it.
/// </summary>
public static class SwapOfferKeys
{
    public static readonly byte[] Prefix = [0x07];

    private const byte OfferTag = (byte)'o';
    private const byte OpenTag = (byte)'O';
    private const byte PairTag = (byte)'p';
    private const byte AccountTag = (byte)'a';
    private const byte ExpiryTag = (byte)'x';
    private const byte EscrowTag = (byte)'l';

    /// <summary>The offer record by id, whatever its status.</summary>
    public static byte[] Offer(byte[] id) => WithId(StateKey.Of(Prefix, OfferTag).Build(), id);

    /// <summary>Open offers, oldest post first.</summary>
    public static readonly byte[] AllOpen = StateKey.Of(Prefix, OpenTag).Build();

    public static byte[] Open(ulong postHeight, byte[] id) => WithId(StateKey.Of(Prefix, OpenTag).UInt64(postHeight).Build(), id);

    /// <summary>Open offers of one pair (native asset, outside chain, outside asset), oldest post first.</summary>
    public static byte[] PairPrefix(string nativeAsset, string outsideChain, string outsideAsset) =>
        StateKey.Of(Prefix, PairTag).String(nativeAsset).String(outsideChain).String(outsideAsset).Build();

    public static byte[] Pair(string nativeAsset, string outsideChain, string outsideAsset, ulong postHeight, byte[] id) =>
        WithId(StateKey.Of(Prefix, PairTag).String(nativeAsset).String(outsideChain).String(outsideAsset).UInt64(postHeight).Build(), id);

    /// <summary>Every offer an account made or took, any status, by post height.</summary>
    public static byte[] AccountPrefix(Address account) => StateKey.Of(Prefix, AccountTag).Address(account).Build();

    public static byte[] Account(Address account, ulong postHeight, byte[] id) => WithId(StateKey.Of(Prefix, AccountTag).Address(account).UInt64(postHeight).Build(), id);

    /// <summary>Open offers by expiry height: the begin-block hook reads the front of it.</summary>
    public static readonly byte[] AllExpiries = StateKey.Of(Prefix, ExpiryTag).Build();

    public static byte[] Expiry(ulong expiryHeight, byte[] id) => WithId(StateKey.Of(Prefix, ExpiryTag).UInt64(expiryHeight).Build(), id);

    public static ulong HeightOfExpiryKey(byte[] key) => new StateKeyReader(key, Prefix.Length).UInt64();

    /// <summary>The total of a native asset escrowed by open offers (part of its supply, in no balance).</summary>
    public static byte[] Escrow(string asset) => StateKey.Of(Prefix, EscrowTag).String(asset).Build();

    public static readonly byte[] AllEscrow = StateKey.Of(Prefix, EscrowTag).Build();

    public static string AssetOfEscrowKey(byte[] key) => new StateKeyReader(key, Prefix.Length).String();

    /// <summary>The offer id at the end of any index key.</summary>
    public static byte[] IdOfIndexKey(byte[] key) => key[^SwapOfferRules.IdLength..];

    private static byte[] WithId(byte[] key, byte[] id)
    {
        if (id.Length != SwapOfferRules.IdLength) throw new ArgumentException($"an offer id is {SwapOfferRules.IdLength} bytes, got {id.Length}");
        return [.. key, .. id];
    }
}
