using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// State keys of the markets module: prefix 0x03 (kinds 20-39), then a tag per record kind
/// (docs/markets.md, "State"). Open orders sit under a key whose prefix scan is price-time order:
/// bids under tag 'b' with the price in ticks inverted (best, highest, first), asks under 's' with
/// the ticks as they are (best, lowest, first), then the sequence (oldest first).
/// </summary>
public static class MarketsKeys
{
    public static readonly byte[] Prefix = [0x03];

    private const byte AuthorityTag = (byte)'G';
    private const byte MarketTag = (byte)'M';
    private const byte BidTag = (byte)'b';
    private const byte AskTag = (byte)'s';
    private const byte OrderIndexTag = (byte)'i';
    private const byte AccountIndexTag = (byte)'a';
    private const byte ExpiryTag = (byte)'x';
    private const byte LockedTag = (byte)'l';
    private const byte TotalLockedTag = (byte)'L';
    private const byte FeePoolTag = (byte)'f';
    private const byte TradeTag = (byte)'t';
    private const byte QueueTag = (byte)'q';
    private const byte QueueNextTag = (byte)'Q';
    private const byte DeadlineTag = (byte)'d';
    private const byte FeeBurnTag = (byte)'e';
    private const byte DeadlineIndexTag = (byte)'D';
    private const byte AgentTag = (byte)'A';
    private const byte TimeExpiryTag = (byte)'X';
    private const byte OrderExpiryTimeTag = (byte)'T';
    private const byte ParametersTag = (byte)'P';

    public static readonly byte[] Authority = StateKey.Of(Prefix, AuthorityTag).Build();

    /// <summary>The buyback parameters (absent: the defaults).</summary>
    public static readonly byte[] Parameters = StateKey.Of(Prefix, ParametersTag).Build();

    public static byte[] Market(string baseAsset, string quoteAsset) => StateKey.Of(Prefix, MarketTag).String(baseAsset).String(quoteAsset).Build();

    public static readonly byte[] AllMarkets = StateKey.Of(Prefix, MarketTag).Build();

    /// <summary>One side of one market's book; a prefix scan is price-time priority order.</summary>
    public static byte[] BookSide(string baseAsset, string quoteAsset, bool buy) =>
        StateKey.Of(Prefix, buy ? BidTag : AskTag).String(baseAsset).String(quoteAsset).Build();

    public static byte[] Order(string baseAsset, string quoteAsset, bool buy, ulong priceTicks, ulong sequence) =>
        StateKey.Of(Prefix, buy ? BidTag : AskTag).String(baseAsset).String(quoteAsset).UInt64(buy ? ~priceTicks : priceTicks).UInt64(sequence).Build();

    /// <summary>Order id to its book key (for lookups by id).</summary>
    public static byte[] OrderIndex(string baseAsset, string quoteAsset, ulong orderId) =>
        StateKey.Of(Prefix, OrderIndexTag).String(baseAsset).String(quoteAsset).UInt64(orderId).Build();

    public static byte[] AccountIndexPrefix(Address account) => StateKey.Of(Prefix, AccountIndexTag).Address(account).Build();

    public static byte[] AccountIndexPrefix(Address account, string baseAsset, string quoteAsset) =>
        StateKey.Of(Prefix, AccountIndexTag).Address(account).String(baseAsset).String(quoteAsset).Build();

    public static byte[] AccountIndex(Address account, string baseAsset, string quoteAsset, ulong orderId) =>
        StateKey.Of(Prefix, AccountIndexTag).Address(account).String(baseAsset).String(quoteAsset).UInt64(orderId).Build();

    public static (string Base, string Quote, ulong OrderId) ParseAccountIndex(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.Address();
        return (reader.String(), reader.String(), reader.UInt64());
    }

    public static readonly byte[] AllExpiries = StateKey.Of(Prefix, ExpiryTag).Build();

    public static byte[] Expiry(ulong height, string baseAsset, string quoteAsset, ulong orderId) =>
        StateKey.Of(Prefix, ExpiryTag).UInt64(height).String(baseAsset).String(quoteAsset).UInt64(orderId).Build();

    public static (ulong Height, string Base, string Quote) ParseExpiry(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        return (reader.UInt64(), reader.String(), reader.String());
    }

    public static byte[] Locked(Address account, string asset) => StateKey.Of(Prefix, LockedTag).Address(account).String(asset).Build();

    public static byte[] LockedPrefix(Address account) => StateKey.Of(Prefix, LockedTag).Address(account).Build();

    public static byte[] TotalLocked(string asset) => StateKey.Of(Prefix, TotalLockedTag).String(asset).Build();

    public static readonly byte[] AllTotalLocked = StateKey.Of(Prefix, TotalLockedTag).Build();

    public static byte[] FeePool(string asset) => StateKey.Of(Prefix, FeePoolTag).String(asset).Build();

    public static readonly byte[] AllFeePools = StateKey.Of(Prefix, FeePoolTag).Build();

    /// <summary>The asset named by a key of the form prefix ‖ tag ‖ [address ‖] symbol.</summary>
    public static string AssetOf(byte[] key, bool withAccount)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        if (withAccount) reader.Address();
        return reader.String();
    }

    public static byte[] Trade(string baseAsset, string quoteAsset, ulong tradeId) =>
        StateKey.Of(Prefix, TradeTag).String(baseAsset).String(quoteAsset).UInt64(tradeId).Build();

    public static byte[] FeeBurn(ulong epoch, string asset) => StateKey.Of(Prefix, FeeBurnTag).UInt64(epoch).String(asset).Build();

    public static byte[] FeeBurnsOf(ulong epoch) => StateKey.Of(Prefix, FeeBurnTag).UInt64(epoch).Build();

    /// <summary>An account's dead-man's switch height.</summary>
    public static byte[] Deadline(Address account) => StateKey.Of(Prefix, DeadlineTag).Address(account).Build();

    public static readonly byte[] AllDeadlines = StateKey.Of(Prefix, DeadlineIndexTag).Build();

    /// <summary>Deadlines by height, then account (the begin-block hook scans them in height order).</summary>
    public static byte[] DeadlineIndex(ulong height, Address account) => StateKey.Of(Prefix, DeadlineIndexTag).UInt64(height).Address(account).Build();

    public static (ulong Height, Address Account) ParseDeadlineIndex(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        return (reader.UInt64(), reader.Address());
    }

    /// <summary>A queued operation of this block, by its index (0, 1, ... without a gap); deleted at the block's end.</summary>
    public static byte[] QueuedOperation(ulong index) => StateKey.Of(Prefix, QueueTag).UInt64(index).Build();

    /// <summary>The index the next queued operation of this block gets; deleted with the queue at the block's end.</summary>
    public static readonly byte[] QueueNext = StateKey.Of(Prefix, QueueNextTag).Build();

    /// <summary>An account's authorization of an agent key: the value is the expiry height.</summary>
    public static byte[] Agent(Address account, Address agent) => StateKey.Of(Prefix, AgentTag).Address(account).Address(agent).Build();

    public static byte[] AgentsOf(Address account) => StateKey.Of(Prefix, AgentTag).Address(account).Build();

    public static Address AgentOf(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.Address();
        return reader.Address();
    }

    /// <summary>Orders expiring by block time, time first (the begin-block hook scans them in time order).</summary>
    public static byte[] TimeExpiry(ulong timeMs, string baseAsset, string quoteAsset, ulong orderId) =>
        StateKey.Of(Prefix, TimeExpiryTag).UInt64(timeMs).String(baseAsset).String(quoteAsset).UInt64(orderId).Build();

    public static readonly byte[] AllTimeExpiries = StateKey.Of(Prefix, TimeExpiryTag).Build();

    public static (ulong TimeMs, string Base, string Quote, ulong OrderId) ParseTimeExpiry(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        return (reader.UInt64(), reader.String(), reader.String(), reader.UInt64());
    }

    /// <summary>An open order's expiry block time (only for orders that have one).</summary>
    public static byte[] OrderExpiryTime(string baseAsset, string quoteAsset, ulong orderId) =>
        StateKey.Of(Prefix, OrderExpiryTimeTag).String(baseAsset).String(quoteAsset).UInt64(orderId).Build();

    /// <summary>Every open order's expiry time of one market.</summary>
    public static byte[] OrderExpiryTimesOf(string baseAsset, string quoteAsset) =>
        StateKey.Of(Prefix, OrderExpiryTimeTag).String(baseAsset).String(quoteAsset).Build();
}
