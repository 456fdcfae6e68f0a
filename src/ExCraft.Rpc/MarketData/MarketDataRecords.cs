using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Core.Blocks;

namespace ExCraft.Rpc.MarketData;

/// <summary>A trade with the market it happened on and its block's time.</summary>
public sealed record IndexedTrade(string Market, TradeRecord Trade, ulong TimeMs);

/// <summary>
/// An order as the index last saw it. Status is the last change (accepted, rested,
/// partially_filled, amended while open; filled, cancelled or rejected once closed). Size is the
/// size at acceptance (after an amend: filled + the amended remainder); Filled sums the order's trades.
/// </summary>
public sealed record OrderHistoryEntry(string Market, ulong OrderId, Address Account, ulong ClientOrderId, Side Side, UInt128 Price,
    UInt128 Size, UInt128 Filled, UInt128 Remaining, string Status, string Reason, ulong OpenedHeight, ulong ClosedHeight, ulong ClosedTimeMs)
{
    public bool Closed => Status is "filled" or "cancelled" or "rejected";
}

/// <summary>A candle that changed in a block, for the candle streams.</summary>
public sealed record CandleUpdate(string Market, CandleInterval Interval, Candle Candle);

/// <summary>A book that changed in a block: the book after it (sequence, checksum) and the levels that changed.</summary>
public sealed record BookDelta(MarketBook Book, IReadOnlyList<LevelChange> Changes);

/// <summary>The 24h ticker of a market, over the trades whose block time is within 24 hours of the head block's time.</summary>
public sealed record MarketTicker(string Market, ulong Height, ulong TimeMs, UInt128? Last, UInt128? Open, UInt128? High, UInt128? Low,
    UInt128 Volume, UInt128 QuoteVolume, ulong Trades, ulong WindowStartMs)
{
    /// <summary>last - open, signed; 0 without trades in the window.</summary>
    public System.Numerics.BigInteger Change => Last is { } l && Open is { } o ? (System.Numerics.BigInteger)l - o : 0;

    /// <summary>The change in parts per million of open, rounded toward zero.</summary>
    public System.Numerics.BigInteger ChangePpm => Open is { } o && o != 0 ? Change * 1_000_000 / (System.Numerics.BigInteger)o : 0;
}

/// <summary>What one committed block changed in the market data, handed to the streams.</summary>
public sealed record MarketDataUpdate(ulong Height, ulong TimeMs, Block? Block, IReadOnlyList<Receipt> Receipts, IReadOnlyList<ChainEvent> BlockEvents,
    IReadOnlyList<BookDelta> Books, IReadOnlyList<IndexedTrade> Trades, IReadOnlyList<CandleUpdate> Candles, IReadOnlyList<ChainEvent> OrderEvents)
{
    /// <summary>Market transactions (kinds 20-39) that failed, with their error: an account's order stream reports them as rejections.</summary>
    public IEnumerable<(Receipt Receipt, Core.Transactions.Transaction Tx)> FailedMarketTransactions() =>
        Block is null ? [] : Receipts.Where(r => !r.Success && r.Index < Block.Transactions.Count)
            .Select(r => (r, Block.Transactions[r.Index]))
            .Where(x => (byte)x.Item2.Kind is >= 20 and <= 39);
}

/// <summary>
/// How much history the market-data index keeps in memory (docs/market-data.md "Bounds"): without
/// a bound it grew by a few hundred bytes per order and per trade for as long as the node ran.
/// Open orders are always kept, and so are the trades of the last 24 hours (the ticker's window).
/// </summary>
public sealed record MarketDataLimits(int ClosedOrdersPerMarket, int ClosedOrdersPerAccount, int TradesPerMarket)
{
    public static readonly MarketDataLimits Default = new(ClosedOrdersPerMarket: 200_000, ClosedOrdersPerAccount: 10_000, TradesPerMarket: 200_000);
}
