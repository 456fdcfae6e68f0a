using ExCraft.Core;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// State keys of the PoE module, prefix 0x0A, then a tag (docs/poe.md, "State"):
/// - running: 'c' base ‖ quote: the next trade id of that market not yet counted; 's': the trade
///   observation counter (orders trades across markets for "last trade");
/// - per open epoch: 'a' epoch ‖ account: the account's tally; 'm' epoch ‖ base ‖ quote: the market's tally;
/// - per closed epoch: 'P' epoch ‖ asset: closing price; 'R' epoch: report summary (root, totals);
///   'r' epoch ‖ position: the report entry at its canonical position; 'i' epoch ‖ account: position and PoE;
/// - 'p' asset: the latest closing price an asset had (for "else the latest earlier closing price");
/// - the close spread over blocks: 'C': the next epoch to close; 'Q': the running close's progress; 'w' epoch ‖ masked id: an account's
///   valued line waiting for phase 2 (so state order is report order).
/// </summary>
public static class PoeKeys
{
    public static readonly byte[] Prefix = [0x0A];

    private const byte CursorTag = (byte)'c';
    private const byte AccountTallyTag = (byte)'a';
    private const byte MarketTallyTag = (byte)'m';
    private const byte ClosingPriceTag = (byte)'P';
    private const byte LatestPriceTag = (byte)'p';
    private const byte ReportTag = (byte)'R';
    private const byte EntryTag = (byte)'r';
    private const byte IndexTag = (byte)'i';
    private const byte ValuedTag = (byte)'w';

    public static readonly byte[] NextToClose = StateKey.Of(Prefix, (byte)'C').Build();

    public static readonly byte[] CloseProgress = StateKey.Of(Prefix, (byte)'Q').Build();

    public static byte[] Valued(ulong epoch, byte[] maskedId) => [.. AllValued(epoch), .. maskedId]; // fixed 32-byte ids: key order is masked-id order

    public static byte[] AllValued(ulong epoch) => StateKey.Of(Prefix, ValuedTag).UInt64(epoch).Build();

    public static readonly byte[] Sequence = StateKey.Of(Prefix, (byte)'s').Build();

    public static byte[] Cursor(string baseAsset, string quoteAsset) => StateKey.Of(Prefix, CursorTag).String(baseAsset).String(quoteAsset).Build();

    public static byte[] AccountTally(ulong epoch, Address account) => StateKey.Of(Prefix, AccountTallyTag).UInt64(epoch).Address(account).Build();

    public static byte[] AccountTallies(ulong epoch) => StateKey.Of(Prefix, AccountTallyTag).UInt64(epoch).Build();

    public static Address AccountOfTally(byte[] key)
    {
        var r = new StateKeyReader(key, Prefix.Length);
        r.UInt64();
        return r.Address();
    }

    public static byte[] MarketTally(ulong epoch, string baseAsset, string quoteAsset) =>
        StateKey.Of(Prefix, MarketTallyTag).UInt64(epoch).String(baseAsset).String(quoteAsset).Build();

    public static byte[] MarketTallies(ulong epoch) => StateKey.Of(Prefix, MarketTallyTag).UInt64(epoch).Build();

    public static byte[] ClosingPrice(ulong epoch, string asset) => StateKey.Of(Prefix, ClosingPriceTag).UInt64(epoch).String(asset).Build();

    public static byte[] ClosingPrices(ulong epoch) => StateKey.Of(Prefix, ClosingPriceTag).UInt64(epoch).Build();

    public static byte[] LatestPrice(string asset) => StateKey.Of(Prefix, LatestPriceTag).String(asset).Build();

    public static byte[] Report(ulong epoch) => StateKey.Of(Prefix, ReportTag).UInt64(epoch).Build();

    public static byte[] Entry(ulong epoch, ulong position) => StateKey.Of(Prefix, EntryTag).UInt64(epoch).UInt64(position).Build();

    public static byte[] Entries(ulong epoch) => StateKey.Of(Prefix, EntryTag).UInt64(epoch).Build();

    public static byte[] Index(ulong epoch, Address account) => StateKey.Of(Prefix, IndexTag).UInt64(epoch).Address(account).Build();

    public static byte[] Indexes(ulong epoch) => StateKey.Of(Prefix, IndexTag).UInt64(epoch).Build();

    public static Address AccountOfIndex(byte[] key) => AccountOfTally(key);
}
