using System.Text;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Rpc.MarketData;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The market-data index without a node: CRC-32 and the book checksum's canonical text, book
/// deltas that rebuild the book, candles and the 24h ticker by block time, order history and the
/// book sequence, fed with the markets module's event shapes.
/// </summary>
public sealed class MarketDataIndexTests
{
    private const string Market = "ORE/EXT";
    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Checksum_covers_the_top_25_levels_of_each_side_in_the_documented_text()
    {
        var bids = new[] { new DepthLevel(200, 5, 1), new DepthLevel(100, 3, 2) };
        var asks = new[] { new DepthLevel(300, 1, 1) };
        Assert.Equal("200:5,100:3|300:1", BookChecksum.Canonical(bids, asks));
        Assert.Equal(Crc32.Compute(Encoding.UTF8.GetBytes("200:5,100:3|300:1")), BookChecksum.Compute(bids, asks));
        Assert.Equal("|", BookChecksum.Canonical([], []));

        var deep = Enumerable.Range(0, 30).Select(i => new DepthLevel((UInt128)(1000 - i), 1, 1)).ToArray();
        var withDeepChange = deep.Select((l, i) => i == 29 ? l with { Size = 7 } : l).ToArray();
        Assert.Equal(25, BookChecksum.Canonical(deep, []).Split(',').Length);
        Assert.Equal(BookChecksum.Compute(deep, []), BookChecksum.Compute(withDeepChange, [])); // level 30 is outside the checksum
        Assert.NotEqual(BookChecksum.Compute(deep, []), BookChecksum.Compute(deep.Select((l, i) => i == 24 ? l with { Size = 7 } : l).ToArray(), []));
    }

    [Fact]
    public void Deltas_rebuild_the_next_book_exactly_over_random_changes()
    {
        var random = new Random(8);
        var book = new MarketBook(Market, 0, 0, [], []);
        for (var step = 1; step <= 300; step++)
        {
            var next = new MarketBook(Market, (ulong)step, (ulong)step, RandomSide(random, descending: true), RandomSide(random, descending: false));
            var rebuilt = book.Apply(next.Sequence, next.Height, book.ChangesTo(next));
            Assert.Equal(next.Bids, rebuilt.Bids);
            Assert.Equal(next.Asks, rebuilt.Asks);
            Assert.Equal(next.Checksum, rebuilt.Checksum);
            book = rebuilt;
        }
    }

    private static List<DepthLevel> RandomSide(Random random, bool descending)
    {
        var prices = Enumerable.Range(0, random.Next(0, 40)).Select(_ => (UInt128)random.Next(1, 60)).Distinct().Order().ToList();
        if (descending) prices.Reverse();
        return [.. prices.Select(p => new DepthLevel(p, (UInt128)random.Next(1, 4), random.Next(1, 3)))];
    }

    [Fact]
    public void Candles_and_ticker_follow_block_time()
    {
        var index = new MarketDataIndex((_, _) => []);
        // 10:00:30, 10:00:50 and 10:01:10 (a new 1m candle, same 5m candle); one trade two days earlier.
        const ulong t0 = 1_700_000_000_000 - 1_700_000_000_000 % 300_000 + 30_000;
        index.Apply(null, 1, t0 - 2 * MarketDataIndex.TickerWindowMs, [], [Trade(1, price: 50, size: 9)]);
        index.Apply(null, 2, t0, [], [Trade(2, price: 100, size: 2), Trade(3, price: 120, size: 1)]);
        index.Apply(null, 3, t0 + 20_000, [], [Trade(4, price: 90, size: 4)]);
        index.Apply(null, 4, t0 + 40_000, [], [Trade(5, price: 110, size: 3)]);

        var minute = index.Candles(Market, CandleInterval.Minute, t0 - 30_000, ulong.MaxValue, 10);
        Assert.Equal(2, minute.Count);
        Assert.Equal((t0 - 30_000, (UInt128)100, (UInt128)120, (UInt128)90, (UInt128)90, (UInt128)7, 3ul), (minute[0].OpenTimeMs, minute[0].Open, minute[0].High, minute[0].Low, minute[0].Close, minute[0].Volume, minute[0].Trades));
        Assert.Equal((t0 + 30_000, (UInt128)110, (UInt128)110, (UInt128)110, (UInt128)3), (minute[1].OpenTimeMs, minute[1].Open, minute[1].Close, minute[1].Low, minute[1].Volume));
        Assert.Equal((UInt128)(2 * 100 + 120 + 4 * 90), minute[0].QuoteVolume); // the events' quote amounts (price * size here)
        var five = Assert.Single(index.Candles(Market, CandleInterval.FiveMinutes, t0 - 30_000, ulong.MaxValue, 10));
        Assert.Equal(((UInt128)100, (UInt128)120, (UInt128)90, (UInt128)110, (UInt128)10, 4ul), (five.Open, five.High, five.Low, five.Close, five.Volume, five.Trades));
        Assert.Equal(2, index.Candles(Market, CandleInterval.Day, null, ulong.MaxValue, 10).Count); // the old trade's day and this one's
        Assert.Single(index.Candles(Market, CandleInterval.Minute, null, ulong.MaxValue, 1)); // without from: the latest

        var ticker = index.Ticker(Market);
        Assert.Equal(((UInt128?)110, (UInt128?)100, (UInt128?)120, (UInt128?)90, (UInt128)10, 4ul), (ticker.Last, ticker.Open, ticker.High, ticker.Low, ticker.Volume, ticker.Trades));
        Assert.Equal(10, (int)ticker.Change);
        Assert.Equal(100_000, (int)ticker.ChangePpm);
        Assert.Equal(t0 + 40_000, ticker.TimeMs);

        var (page, more) = index.TradesByTime(Market, t0, t0 + 40_000, 0, 2);
        Assert.True(more);
        Assert.Equal([2ul, 3ul], page.Select(t => t.Trade.Id));
        var (rest, none) = index.TradesByTime(Market, t0, t0 + 40_000, 3, 2);
        Assert.False(none);
        Assert.Equal([4ul], rest.Select(t => t.Trade.Id));
    }

    [Fact]
    public void Order_history_and_book_sequence_follow_order_events()
    {
        var reads = 0;
        var index = new MarketDataIndex((_, _) => { reads++; return []; });
        MarketDataUpdate? last = null;
        index.Updated += u => last = u;

        index.Apply(null, 1, 1000, [], [Order("accepted", 1, Alice, 10), Order("rested", 1, Alice, 10)]);
        Assert.Equal(1ul, index.Book(Market).Sequence);
        Assert.Equal(1ul, Assert.Single(last!.Books).Book.Sequence);
        // The first block read the open orders from state (after the block: Alice's order is not there yet in this fake).
        Assert.Equal(1, reads);
        Assert.Empty(index.Book(Market).Asks);
        index.RefreshBooks();
        Assert.Equal(2, reads);

        // Bob's taker fills 4 of Alice's 10; Bob's order is filled, Alice's partially.
        index.Apply(null, 2, 2000, [], [Trade(1, price: 100, size: 4, buyOrderId: 2, sellOrderId: 1), Order("accepted", 2, Bob, 4, side: "buy"),
            Order("filled", 2, Bob, 0, side: "buy"), Order("partially_filled", 1, Alice, 6)]);
        Assert.Equal(2ul, index.Book(Market).Sequence);
        var bob = Assert.Single(index.OrderHistory(Bob, null, 10, null).Orders);
        Assert.Equal(("filled", (UInt128)4, (UInt128)4, (UInt128)0, 2ul), (bob.Status, bob.Size, bob.Filled, bob.Remaining, bob.ClosedHeight));
        Assert.Equal("partially_filled", index.Order(Market, 1)!.Status);
        Assert.Empty(index.OrderHistory(Alice, null, 10, null).Orders);

        // A rejection at matching changes no book: the sequence stays.
        index.Apply(null, 3, 3000, [], [Rejected(Alice, "post_only_would_cross")]);
        Assert.Equal(2ul, index.Book(Market).Sequence);
        Assert.Empty(last!.Books);

        index.Apply(null, 4, 4000, [], [Order("cancelled", 1, Alice, 6, reason: "cancelled_by_owner")]);
        var (alice, next) = index.OrderHistory(Alice, Market, 10, null);
        Assert.Null(next);
        Assert.Equal([(1ul, "cancelled", "cancelled_by_owner"), (0ul, "rejected", "post_only_would_cross")], alice.Select(o => (o.OrderId, o.Status, o.Reason)));
        Assert.Equal(((UInt128)10, (UInt128)4, (UInt128)6, 4000ul), (alice[0].Size, alice[0].Filled, alice[0].Remaining, alice[0].ClosedTimeMs));
        var (first, cursor) = index.OrderHistory(Alice, null, 1, null);
        Assert.Equal(1ul, Assert.Single(first).OrderId);
        Assert.Equal(0ul, Assert.Single(index.OrderHistory(Alice, null, 1, cursor).Orders).OrderId);
        Assert.Equal(3ul, index.Book(Market).Sequence);

        // A block already applied is not applied twice.
        Assert.Null(index.Apply(null, 4, 4000, [], [Order("cancelled", 1, Alice, 6)]));
        Assert.Equal(3ul, index.Book(Market).Sequence);
    }

    [Fact]
    public void An_amended_order_keeps_its_fills_and_open_height_and_closes_with_its_block_time()
    {
        var index = new MarketDataIndex((_, _) => []);
        index.Apply(null, 5, 5000, [], [Order("accepted", 3, Alice, 10), Order("rested", 3, Alice, 10)]);
        index.Apply(null, 6, 6000, [], [Trade(1, price: 100, size: 4, buyOrderId: 9, sellOrderId: 3), Order("partially_filled", 3, Alice, 6)]);
        index.Apply(null, 7, 7000, [], [Order("amended", 3, Alice, 8)]);
        var amended = index.Order(Market, 3)!;
        Assert.Equal((Alice, Side.Sell, (UInt128)100, (UInt128)12, (UInt128)4, (UInt128)8, "amended", 5ul, 0ul, 0ul),
            (amended.Account, amended.Side, amended.Price, amended.Size, amended.Filled, amended.Remaining, amended.Status, amended.OpenedHeight, amended.ClosedHeight, amended.ClosedTimeMs));
        Assert.False(amended.Closed);
        Assert.Empty(index.OrderHistory(Alice, null, 10, null).Orders);

        index.Apply(null, 8, 8000, [], [Trade(2, price: 100, size: 8, buyOrderId: 10, sellOrderId: 3), Order("filled", 3, Alice, 0)]);
        var filled = Assert.Single(index.OrderHistory(Alice, Market, 10, null).Orders);
        Assert.Equal(((UInt128)12, (UInt128)12, (UInt128)0, "filled", 5ul, 8ul, 8000ul), (filled.Size, filled.Filled, filled.Remaining, filled.Status, filled.OpenedHeight, filled.ClosedHeight, filled.ClosedTimeMs));
        Assert.True(filled.Closed);
    }

    [Fact]
    public void The_book_follows_order_events_after_one_read_of_the_open_orders()
    {
        var reads = 0;
        OrderView Open(ulong id, Side side, UInt128 price, UInt128 size) => new(id, Bob, 0, side, default, default, price, size, 0, id, 0, default);
        var index = new MarketDataIndex((_, _) => { reads++; return [Open(7, Side.Buy, 90, 5), Open(8, Side.Buy, 90, 3), Open(9, Side.Sell, 120, 4)]; });
        (UInt128, UInt128, int)[] Bids() => [.. index.Book(Market).Bids.Select(l => (l.Price, l.Size, l.Orders))];
        (UInt128, UInt128, int)[] Asks() => [.. index.Book(Market).Asks.Select(l => (l.Price, l.Size, l.Orders))];

        Assert.Equal([(90, 8, 2)], Bids());
        Assert.Equal([(120, 4, 1)], Asks());

        // Alice rests 10 at 100; a taker's fill before it rests changes nothing; Bob's 8 at 90 is partly filled to 1.
        index.Apply(null, 1, 1000, [], [Order("accepted", 1, Alice, 10), Order("partially_filled", 1, Alice, 10), Order("rested", 1, Alice, 10),
            Order("partially_filled", 8, Bob, 1, side: "buy", price: 90)]);
        Assert.Equal([(90, 6, 2)], Bids());
        Assert.Equal([(100, 10, 1), (120, 4, 1)], Asks());

        // Amended to 130 (loses its place), then filled; Bob's 7 cancelled; an order the book never had is filled (a taker).
        index.Apply(null, 2, 2000, [], [Order("amended", 1, Alice, 6, price: 130), Order("cancelled", 7, Bob, 5, side: "buy", price: 90), Order("filled", 2, Bob, 0, side: "buy")]);
        Assert.Equal([(90, 1, 1)], Bids());
        Assert.Equal([(120, 4, 1), (130, 6, 1)], Asks());
        index.Apply(null, 3, 3000, [], [Order("filled", 1, Alice, 0, price: 130), Order("filled", 9, Bob, 0, price: 120)]);
        Assert.Empty(Asks());
        Assert.Equal(1, reads);
        Assert.Equal(3ul, index.Book(Market).Sequence);
    }

    /// <summary>
    /// The history is bounded: past the limits the oldest closed orders leave the order lookup and
    /// the account's history (open orders stay), a history cursor taken before a trim still pages
    /// on to the older entries that are kept, and trades older than the 24-hour window go past the
    /// trade limit while those inside it stay.
    /// </summary>
    [Fact]
    public void History_is_bounded_open_orders_and_the_ticker_window_stay_and_cursors_survive_trims()
    {
        var index = new MarketDataIndex((_, _) => [], new MarketDataLimits(ClosedOrdersPerMarket: 3, ClosedOrdersPerAccount: 4, TradesPerMarket: 4));
        index.Apply(null, 1, 1000, [], [Order("accepted", 1, Alice, 5), Order("rested", 1, Alice, 5)]); // stays open throughout
        var height = 1UL;
        void CloseOrder(ulong id)
        {
            height++;
            index.Apply(null, height, height * 1000, [], [Order("accepted", id, Alice, 5), Order("cancelled", id, Alice, 0, reason: "cancelled_by_owner")]);
        }
        for (ulong id = 2; id <= 6; id++) CloseOrder(id); // 5 closed: the account keeps 4, trimmed once past 5 (4 and a quarter)

        var (page, next) = index.OrderHistory(Alice, null, 2, null);
        Assert.Equal([6ul, 5ul], page.Select(o => o.OrderId));
        Assert.Equal(3ul, next); // positions count every closed order: the next page starts below the third

        CloseOrder(7); // 6 closed: trimmed to the newest 4 (4..7)
        CloseOrder(8);
        Assert.NotNull(index.Order(Market, 1)); // open: kept
        Assert.Equal([6ul, 7ul, 8ul], Enumerable.Range(2, 7).Select(i => (ulong)i).Where(id => index.Order(Market, id) is not null)); // 3 closed per market

        (page, next) = index.OrderHistory(Alice, null, 2, next); // the cursor from before the trim: the older entries still kept
        Assert.Equal([4ul], page.Select(o => o.OrderId));
        Assert.Null(next);
        (page, next) = index.OrderHistory(Alice, null, 10, null);
        Assert.Equal([8ul, 7ul, 6ul, 5ul, 4ul], page.Select(o => o.OrderId));
        Assert.Null(next);

        // Trades: two days apart, then within one day. The old ones go once past 4 (+ a quarter); the day's stay.
        const ulong Day = MarketDataIndex.TickerWindowMs;
        ulong tradeId = 0;
        void TradeAt(ulong timeMs)
        {
            height++;
            index.Apply(null, height, timeMs, [], [Trade(++tradeId, price: 100, size: 1)]);
        }
        for (var i = 0; i < 4; i++) TradeAt(Day + (ulong)i);
        for (var i = 0; i < 6; i++) TradeAt(3 * Day + (ulong)i);
        var (kept, _) = index.TradesByTime(Market, 0, ulong.MaxValue, 0, 100);
        Assert.Equal([5ul, 6ul, 7ul, 8ul, 9ul, 10ul], kept.Select(t => t.Trade.Id)); // all of the last day, though more than 4
        Assert.Equal(6ul, index.Ticker(Market).Trades);
    }

    private static ChainEvent Trade(ulong id, UInt128 price, UInt128 size, ulong buyOrderId = 0, ulong sellOrderId = 0) => ChainEvent.Of(MarketsModule.Events.Trade,
        ("market", Market), ("tradeId", id.ToString()), ("buyer", Bob.ToString()), ("seller", Alice.ToString()), ("buyOrderId", buyOrderId.ToString()),
        ("sellOrderId", sellOrderId.ToString()), ("takerSide", "buy"), ("price", price.ToString()), ("baseAmount", size.ToString()),
        ("quoteAmount", (price * size).ToString()), ("buyerFee", "0"), ("sellerFee", "0"));

    private static ChainEvent Order(string change, ulong id, Address account, UInt128 remaining, string side = "sell", string reason = "", UInt128? price = null) => ChainEvent.Of(MarketsModule.Events.Order,
        ("market", Market), ("change", change), ("orderId", id.ToString()), ("account", account.ToString()), ("clientOrderId", "0"), ("side", side),
        ("price", (price ?? 100).ToString()), ("remaining", remaining.ToString()), ("reason", reason), ("locked", "0"), ("released", "0"));

    private static ChainEvent Rejected(Address account, string reason) => ChainEvent.Of(MarketsModule.Events.Order,
        ("market", Market), ("change", "rejected"), ("orderId", "0"), ("account", account.ToString()), ("clientOrderId", "0"), ("reason", reason));
}
