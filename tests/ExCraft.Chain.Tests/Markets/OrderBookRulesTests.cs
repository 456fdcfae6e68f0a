using ExCraft.Chain.Modules.Markets.Matching;
using static ExCraft.Chain.Tests.Markets.MarketTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>One test per matching rule of a continuous market (docs/markets.md).</summary>
public class OrderBookRulesTests
{
    [Fact]
    public void A_limit_buy_that_does_not_cross_rests_and_locks_its_notional()
    {
        var desk = new TradingDesk(Plain());
        var id = desk.Rest(Alice, Side.Buy, price: 10, size: 50);

        Assert.Equal([OrderEventKind.Accepted, OrderEventKind.Rested], desk.Last.Events.Select(e => e.Kind));
        Assert.Equal((UInt128)500, desk.Last.Events[0].FundsLocked);
        Assert.Equal((UInt128)500, desk.Book.GetOrder(id)!.Value.Locked);
        Assert.Equal(500, (int)desk.Ledger.Locked(Alice, Ledger.Asset.Quote));
        Assert.Equal((UInt128)10, desk.Book.BestPrice(Side.Buy));
        desk.AssertBalanced();
    }

    [Fact]
    public void Better_price_fills_first_then_older_order_at_the_same_price()
    {
        var desk = new TradingDesk(Plain());
        var olderAt11 = desk.Rest(Alice, Side.Sell, 11, 10);
        var newerAt11 = desk.Rest(Bob, Side.Sell, 11, 10);
        var at12 = desk.Rest(Alice, Side.Sell, 12, 10);
        var bestAt10 = desk.Rest(Bob, Side.Sell, 10, 10); // newest but best price

        desk.Place(OrderRequest.Limit(Carol, Side.Buy, 12, 35, TimeInForce.ImmediateOrCancel));

        Assert.Equal([bestAt10, olderAt11, newerAt11, at12], desk.Last.Fills.Select(f => f.MakerOrderId));
        Assert.Equal([(UInt128)10, 11, 11, 12], desk.Last.Fills.Select(f => f.Price));
        Assert.Equal([(UInt128)10, 10, 10, 5], desk.Last.Fills.Select(f => f.BaseAmount));
        Assert.Equal((UInt128)5, desk.Book.GetOrder(at12)!.Value.RemainingSize);
        desk.AssertBalanced();
    }

    [Fact]
    public void A_crossing_buy_fills_at_the_resting_price_and_gets_the_difference_back()
    {
        var desk = new TradingDesk(Plain());
        var ask = desk.Rest(Alice, Side.Sell, 10, 100);
        var result = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 15, 100));

        var fill = Assert.Single(desk.Last.Fills);
        Assert.Equal((ask, result.OrderId, (UInt128)10, (UInt128)100, (UInt128)1_000), (fill.MakerOrderId, fill.TakerOrderId, fill.Price, fill.BaseAmount, fill.QuoteAmount));
        // Locked 1,500 at its limit, paid 1,000: 500 comes back when it is filled.
        var filled = desk.LastEventOf(result.OrderId);
        Assert.Equal(OrderEventKind.Filled, filled.Kind);
        Assert.Equal((UInt128)500, filled.FundsReleased);
        Assert.Equal(OrderEventKind.Filled, desk.LastEventOf(ask).Kind);
        Assert.Equal(0, desk.Book.OpenOrderCount);
        desk.AssertBalanced();
    }

    [Fact]
    public void A_partly_filled_buy_rests_its_remainder_and_keeps_only_the_lock_it_needs()
    {
        var desk = new TradingDesk(Plain());
        var ask = desk.Rest(Alice, Side.Sell, 8, 40);
        var buy = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 10, 100)).OrderId;

        Assert.Equal((UInt128)40, Assert.Single(desk.Last.Fills).BaseAmount);
        var rested = desk.LastEventOf(buy);
        Assert.Equal(OrderEventKind.Rested, rested.Kind);
        Assert.Equal((UInt128)60, rested.RemainingSize);
        // 1,000 locked, 320 paid, 600 needed for 60 at 10: 80 released.
        Assert.Equal((UInt128)80, rested.FundsReleased);
        Assert.Equal((UInt128)600, desk.Book.GetOrder(buy)!.Value.Locked);
        Assert.Null(desk.Book.GetOrder(ask));
        desk.AssertBalanced();
    }

    [Fact]
    public void A_partly_filled_maker_reports_it_and_keeps_its_place()
    {
        var desk = new TradingDesk(Plain());
        var first = desk.Rest(Alice, Side.Sell, 10, 100);
        var second = desk.Rest(Bob, Side.Sell, 10, 100);
        desk.Place(OrderRequest.Limit(Carol, Side.Buy, 10, 30));

        Assert.Equal(OrderEventKind.PartiallyFilled, desk.LastEventOf(first).Kind);
        Assert.Equal([first, second], desk.Book.Orders(Side.Sell).Select(o => o.Id));
        Assert.Equal((UInt128)70, desk.Book.GetOrder(first)!.Value.RemainingSize);
        Assert.Equal(new DepthLevel(10, 170, 2), Assert.Single(desk.Book.Depth(Side.Sell, 5)));
        desk.AssertBalanced();
    }

    [Fact]
    public void Immediate_or_cancel_cancels_what_does_not_fill()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Alice, Side.Sell, 10, 30);
        var ioc = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 10, 50, TimeInForce.ImmediateOrCancel)).OrderId;

        Assert.Equal((UInt128)30, Assert.Single(desk.Last.Fills).BaseAmount);
        var closed = desk.LastEventOf(ioc);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.UnfilledRemainder, (UInt128)20, (UInt128)200), (closed.Kind, closed.Reason, closed.RemainingSize, closed.FundsReleased));
        Assert.Equal(0, desk.Book.OpenOrderCount);
        desk.AssertBalanced();
    }

    [Fact]
    public void Fill_or_kill_that_cannot_fill_is_rejected_and_changes_nothing()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Alice, Side.Sell, 10, 30);
        desk.Rest(Alice, Side.Sell, 12, 30);
        var before = desk.Book.ComputeHash();

        var result = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 11, 40, TimeInForce.FillOrKill));

        Assert.Equal(OrderReason.FillOrKillNotFillable, result.Reject);
        Assert.Empty(desk.Last.Fills);
        Assert.Equal(OrderEventKind.Rejected, Assert.Single(desk.Last.Events).Kind);
        Assert.Equal(before, desk.Book.ComputeHash());
        Assert.Equal(0, (int)desk.Ledger.Locked(Bob, Ledger.Asset.Quote));

        var filled = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 12, 40, TimeInForce.FillOrKill));
        Assert.True(filled.Accepted);
        Assert.Equal((UInt128)40, desk.Last.Fills.Aggregate(UInt128.Zero, (sum, f) => sum + f.BaseAmount));
        Assert.Equal(OrderEventKind.Filled, desk.LastEventOf(filled.OrderId).Kind);
        desk.AssertBalanced();
    }

    [Fact]
    public void Fill_or_kill_does_not_count_liquidity_behind_its_own_order_when_the_incoming_side_is_cancelled()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Bob, Side.Sell, 10, 10);
        desk.Rest(Alice, Side.Sell, 10, 10);
        desk.Rest(Carol, Side.Sell, 10, 10);

        var stopped = desk.Place(OrderRequest.Limit(Alice, Side.Buy, 10, 20, TimeInForce.FillOrKill, selfTrade: SelfTradePrevention.CancelIncoming));
        Assert.Equal(OrderReason.FillOrKillNotFillable, stopped.Reject);

        var skipping = desk.Place(OrderRequest.Limit(Alice, Side.Buy, 10, 20, TimeInForce.FillOrKill, selfTrade: SelfTradePrevention.CancelResting));
        Assert.True(skipping.Accepted);
        Assert.Equal(2, desk.Last.Fills.Count);
        Assert.Contains(desk.Last.Events, e => e.Kind == OrderEventKind.Cancelled && e.Reason == OrderReason.SelfTrade && e.Account == Alice);
        desk.AssertBalanced();
    }

    [Fact]
    public void Post_only_that_would_cross_is_rejected_and_one_that_does_not_rests()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Alice, Side.Sell, 10, 10);
        var before = desk.Book.ComputeHash();

        Assert.Equal(OrderReason.PostOnlyWouldCross, desk.Place(OrderRequest.Limit(Bob, Side.Buy, 10, 5, TimeInForce.PostOnly)).Reject);
        Assert.Equal(before, desk.Book.ComputeHash());

        var maker = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 9, 5, TimeInForce.PostOnly));
        Assert.True(maker.Accepted);
        Assert.Equal(OrderEventKind.Rested, desk.LastEventOf(maker.OrderId).Kind);
        desk.AssertBalanced();
    }

    [Fact]
    public void A_market_order_stops_at_its_worst_price_and_cancels_the_rest()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Alice, Side.Buy, 20, 10);
        desk.Rest(Alice, Side.Buy, 18, 10);
        desk.Rest(Alice, Side.Buy, 15, 10);

        var sell = desk.Place(OrderRequest.Market(Bob, Side.Sell, size: 30, worstPrice: 18));

        Assert.Equal([(UInt128)20, 18], desk.Last.Fills.Select(f => f.Price));
        var closed = desk.LastEventOf(sell.OrderId);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.UnfilledRemainder, (UInt128)10, (UInt128)10), (closed.Kind, closed.Reason, closed.RemainingSize, closed.FundsReleased));
        Assert.Equal((UInt128)15, desk.Book.BestPrice(Side.Buy));
        desk.AssertBalanced();
    }

    [Fact]
    public void A_market_buy_with_a_quote_budget_spends_what_it_can_across_levels()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Alice, Side.Sell, 10, 5);
        desk.Rest(Alice, Side.Sell, 12, 100);

        var buy = desk.Place(OrderRequest.MarketBuyWithBudget(Bob, quoteBudget: 100));

        // 5 at 10 = 50; then 50 buys 4 at 12 = 48; 2 left cannot buy a lot.
        Assert.Equal([((UInt128)10, (UInt128)5, (UInt128)50), (12, 4, 48)], desk.Last.Fills.Select(f => (f.Price, f.BaseAmount, f.QuoteAmount)));
        var filled = desk.LastEventOf(buy.OrderId);
        Assert.Equal((OrderEventKind.Filled, (UInt128)2), (filled.Kind, filled.FundsReleased));
        desk.AssertBalanced();
    }

    [Fact]
    public void A_market_budget_is_refused_for_sells_and_when_below_min_notional()
    {
        var desk = new TradingDesk(Plain(minNotional: 100));
        var sellWithBudget = OrderRequest.MarketBuyWithBudget(Bob, 500) with { Side = Side.Sell };
        Assert.Equal(OrderReason.InvalidOrder, desk.Place(sellWithBudget).Reject);
        Assert.Equal(OrderReason.BelowMinNotional, desk.Place(OrderRequest.MarketBuyWithBudget(Bob, 99)).Reject);
    }

    [Fact]
    public void A_fill_that_would_round_the_quote_to_zero_cancels_the_incoming_remainder()
    {
        // Price per 100 base units: 1 lot (1 unit) at price 50 is worth 0.5 quote, rounded down to 0.
        var desk = new TradingDesk(new MarketRules(TickSize: 1, LotSize: 1, PriceScale: 100, MinNotional: 1, MakerFeePpm: 0, TakerFeePpm: 0));
        desk.Rest(Alice, Side.Sell, 50, 10);   // worth 5
        var buy = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 50, 3, TimeInForce.ImmediateOrCancel)); // worth 1 (1.5 rounded down)

        var fill = Assert.Single(desk.Last.Fills);
        Assert.Equal(((UInt128)3, (UInt128)1), (fill.BaseAmount, fill.QuoteAmount));
        Assert.Equal(OrderEventKind.Filled, desk.LastEventOf(buy.OrderId).Kind);

        // Now 7 rest (worth 3). A 1-unit buy would pay 0: refused by min notional first...
        Assert.Equal(OrderReason.BelowMinNotional, desk.Place(OrderRequest.Limit(Bob, Side.Buy, 50, 1)).Reject);
        // ...and a buy of 8 at a high price fills 7 and rests 1, whose worth at 120 is 1.2 -> 1, fine.
        var big = desk.Place(OrderRequest.Limit(Carol, Side.Buy, 120, 8));
        Assert.Equal((UInt128)7, Assert.Single(desk.Last.Fills).BaseAmount);
        Assert.Equal(OrderEventKind.Rested, desk.LastEventOf(big.OrderId).Kind);
        desk.AssertBalanced();
    }

    [Fact]
    public void A_taker_remainder_whose_next_fill_rounds_to_zero_is_cancelled_with_that_reason()
    {
        var desk = new TradingDesk(new MarketRules(TickSize: 1, LotSize: 1, PriceScale: 100, MinNotional: 1, MakerFeePpm: 0, TakerFeePpm: 0));
        desk.Rest(Alice, Side.Sell, 50, 3);    // worth 1
        desk.Rest(Alice, Side.Sell, 60, 10);   // worth 6
        // Buys 4 up to 60: 3 at 50 (1 quote), then 1 at 60 = 0.6 -> 0: cancelled instead of given away.
        var buy = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 60, 4));

        Assert.Equal((UInt128)3, Assert.Single(desk.Last.Fills).BaseAmount);
        var closed = desk.LastEventOf(buy.OrderId);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.RoundsToZero, (UInt128)1), (closed.Kind, closed.Reason, closed.RemainingSize));
        desk.AssertBalanced();
    }

    [Fact]
    public void A_maker_left_with_a_remainder_worth_nothing_is_cancelled_instead_of_resting()
    {
        var desk = new TradingDesk(new MarketRules(TickSize: 1, LotSize: 1, PriceScale: 100, MinNotional: 1, MakerFeePpm: 0, TakerFeePpm: 0));
        var ask = desk.Rest(Alice, Side.Sell, 50, 3);  // worth 1
        desk.Place(OrderRequest.Limit(Bob, Side.Buy, 50, 2)); // 2 at 50 = 1; leaves 1 unit worth 0.5 -> 0

        Assert.Single(desk.Last.Fills);
        var closed = desk.LastEventOf(ask);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.RoundsToZero, (UInt128)1), (closed.Kind, closed.Reason, closed.FundsReleased));
        Assert.Null(desk.Book.GetOrder(ask));
        desk.AssertBalanced();
    }

    [Theory]
    [InlineData(SelfTradePrevention.CancelResting)]
    [InlineData(SelfTradePrevention.CancelIncoming)]
    [InlineData(SelfTradePrevention.CancelBoth)]
    public void Self_trade_prevention_modes(SelfTradePrevention mode)
    {
        var desk = new TradingDesk(Plain());
        var own = desk.Rest(Alice, Side.Sell, 10, 10);
        var other = desk.Rest(Bob, Side.Sell, 10, 10);
        var incoming = desk.Place(OrderRequest.Limit(Alice, Side.Buy, 10, 10, selfTrade: mode)).OrderId;

        var ownEvent = desk.Last.Events.LastOrDefault(e => e.OrderId == own);
        var incomingEvent = desk.LastEventOf(incoming);
        Assert.DoesNotContain(desk.Last.Fills, f => f.Maker == f.Taker);
        switch (mode)
        {
            case SelfTradePrevention.CancelResting:
                Assert.Equal((OrderEventKind.Cancelled, OrderReason.SelfTrade), (ownEvent.Kind, ownEvent.Reason));
                Assert.Equal(other, Assert.Single(desk.Last.Fills).MakerOrderId);
                Assert.Equal(OrderEventKind.Filled, incomingEvent.Kind);
                break;
            case SelfTradePrevention.CancelIncoming:
                Assert.NotNull(desk.Book.GetOrder(own));
                Assert.Empty(desk.Last.Fills);
                Assert.Equal((OrderEventKind.Cancelled, OrderReason.SelfTrade), (incomingEvent.Kind, incomingEvent.Reason));
                break;
            default:
                Assert.Null(desk.Book.GetOrder(own));
                Assert.Empty(desk.Last.Fills);
                Assert.Equal((OrderEventKind.Cancelled, OrderReason.SelfTrade), (ownEvent.Kind, ownEvent.Reason));
                Assert.Equal((OrderEventKind.Cancelled, OrderReason.SelfTrade), (incomingEvent.Kind, incomingEvent.Reason));
                break;
        }
        if (mode != SelfTradePrevention.CancelResting) Assert.NotNull(desk.Book.GetOrder(other));
        desk.AssertBalanced();
    }

    [Fact]
    public void Cancel_by_id_and_by_client_order_id_release_the_lock()
    {
        var desk = new TradingDesk(Plain());
        var a = desk.Rest(Alice, Side.Buy, 10, 10, clientOrderId: 77);
        var b = desk.Rest(Alice, Side.Sell, 20, 10);

        Assert.Equal(OrderReason.None, desk.CancelByClientOrderId(Alice, 77));
        var cancelled = desk.LastEventOf(a);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.CancelledByOwner, (UInt128)100), (cancelled.Kind, cancelled.Reason, cancelled.FundsReleased));
        Assert.Equal(OrderReason.None, desk.Cancel(Alice, b));
        Assert.Equal(0, desk.Book.OpenOrderCount);
        Assert.Equal(0, (int)desk.Ledger.Locked(Alice, Ledger.Asset.Quote));
        // The client id is free again.
        desk.Rest(Alice, Side.Buy, 10, 10, clientOrderId: 77);
        desk.AssertBalanced();
    }

    [Fact]
    public void Cancels_that_cannot_apply_are_refused_with_a_specific_reason_and_change_nothing()
    {
        var desk = new TradingDesk(Plain());
        var mine = desk.Rest(Alice, Side.Buy, 10, 10, clientOrderId: 5);
        var filled = desk.Rest(Bob, Side.Sell, 30, 10);
        desk.Place(OrderRequest.Limit(Carol, Side.Buy, 30, 10));
        var before = desk.Book.ComputeHash();

        Assert.Equal(OrderReason.NotOwner, desk.Cancel(Bob, mine));
        Assert.Equal(OrderReason.OrderNotOpen, desk.Cancel(Bob, filled));
        Assert.Equal(OrderReason.UnknownOrder, desk.Cancel(Alice, 999));
        Assert.Equal(OrderReason.UnknownOrder, desk.CancelByClientOrderId(Bob, 5));
        Assert.Equal((OrderEventKind.Rejected, OrderReason.UnknownOrder), (desk.Last.Events[0].Kind, desk.Last.Events[0].Reason));
        Assert.Equal(before, desk.Book.ComputeHash());
        desk.AssertBalanced();
    }

    [Fact]
    public void Cancel_all_cancels_only_that_account_in_id_order()
    {
        var desk = new TradingDesk(Plain());
        var a1 = desk.Rest(Alice, Side.Buy, 10, 10);
        var b1 = desk.Rest(Bob, Side.Buy, 11, 10);
        var a2 = desk.Rest(Alice, Side.Sell, 30, 10);
        var a3 = desk.Rest(Alice, Side.Buy, 9, 10);

        Assert.Equal(3, desk.CancelAll(Alice));
        Assert.Equal([a1, a2, a3], desk.Last.Events.Select(e => e.OrderId));
        Assert.All(desk.Last.Events, e => Assert.Equal(OrderReason.CancelAll, e.Reason));
        Assert.Equal([b1], desk.Book.Orders(Side.Buy).Select(o => o.Id));
        Assert.Equal(0, desk.CancelAll(Alice));
        desk.AssertBalanced();
    }

    [Fact]
    public void Amend_that_only_shrinks_keeps_time_priority()
    {
        var desk = new TradingDesk(Plain());
        var first = desk.Rest(Alice, Side.Buy, 10, 10);
        var second = desk.Rest(Bob, Side.Buy, 10, 10);

        Assert.Equal(OrderReason.None, desk.Amend(Alice, first, 10, 4));
        var amended = desk.LastEventOf(first);
        Assert.Equal((OrderEventKind.Amended, (UInt128)60, (UInt128)4), (amended.Kind, amended.FundsReleased, amended.RemainingSize));
        Assert.Equal([first, second], desk.Book.Orders(Side.Buy).Select(o => o.Id));
        desk.AssertBalanced();
    }

    [Fact]
    public void Amend_that_grows_or_moves_the_price_loses_time_priority()
    {
        var desk = new TradingDesk(Plain());
        var first = desk.Rest(Alice, Side.Buy, 10, 10);
        var second = desk.Rest(Bob, Side.Buy, 10, 10);

        Assert.Equal(OrderReason.None, desk.Amend(Alice, first, 10, 11));
        Assert.Equal((UInt128)10, desk.LastEventOf(first).FundsLocked);
        Assert.Equal([second, first], desk.Book.Orders(Side.Buy).Select(o => o.Id));

        Assert.Equal(OrderReason.None, desk.Amend(Bob, second, 9, 10));
        Assert.Equal(OrderReason.None, desk.Amend(Bob, second, 10, 10));
        Assert.Equal([first, second], desk.Book.Orders(Side.Buy).Select(o => o.Id));
        desk.AssertBalanced();
    }

    [Fact]
    public void Amend_to_a_crossing_price_trades_at_once_but_a_post_only_is_refused()
    {
        var desk = new TradingDesk(Plain());
        var ask = desk.Rest(Alice, Side.Sell, 12, 10);
        var buy = desk.Rest(Bob, Side.Buy, 10, 10);
        var maker = desk.Place(OrderRequest.Limit(Carol, Side.Buy, 11, 10, TimeInForce.PostOnly)).OrderId;
        var before = desk.Book.ComputeHash();

        Assert.Equal(OrderReason.PostOnlyWouldCross, desk.Amend(Carol, maker, 12, 10));
        Assert.Equal(before, desk.Book.ComputeHash());

        Assert.Equal(OrderReason.None, desk.Amend(Bob, buy, 13, 4));
        var fill = Assert.Single(desk.Last.Fills);
        Assert.Equal((ask, buy, (UInt128)12, (UInt128)4), (fill.MakerOrderId, fill.TakerOrderId, fill.Price, fill.BaseAmount));
        Assert.Equal(OrderEventKind.Filled, desk.LastEventOf(buy).Kind);
        Assert.Equal(OrderReason.OrderNotOpen, desk.Amend(Bob, buy, 10, 5));
        desk.AssertBalanced();
    }

    [Fact]
    public void Amends_that_cannot_apply_are_refused_and_change_nothing()
    {
        var desk = new TradingDesk(new MarketRules(TickSize: 5, LotSize: 10, PriceScale: 1, MinNotional: 1_000, MakerFeePpm: 0, TakerFeePpm: 0));
        desk.Ledger.Fund(MarketTestKit.AccountNumber(9), Ledger.Asset.Quote, 2_000);
        var poor = MarketTestKit.AccountNumber(9);
        var order = desk.Rest(poor, Side.Buy, 100, 20);
        var before = desk.Book.ComputeHash();

        Assert.Equal(OrderReason.OffTick, desk.Amend(poor, order, 101, 20));
        Assert.Equal(OrderReason.OffLot, desk.Amend(poor, order, 100, 25));
        Assert.Equal(OrderReason.BelowMinNotional, desk.Amend(poor, order, 5, 20));
        Assert.Equal(OrderReason.AmendUnchanged, desk.Amend(poor, order, 100, 20));
        Assert.Equal(OrderReason.InsufficientFunds, desk.Amend(poor, order, 100, 50)); // needs 3,000 more, has 0 free
        Assert.Equal(OrderReason.NotOwner, desk.Amend(Alice, order, 100, 10));
        Assert.Equal(OrderReason.UnknownOrder, desk.Amend(poor, 12345, 100, 10));
        Assert.Equal(OrderReason.ZeroSize, desk.Amend(poor, order, 100, 0));
        Assert.Equal(before, desk.Book.ComputeHash());
        desk.AssertBalanced();
    }

    [Fact]
    public void Orders_expire_at_their_height_through_the_block_hook_call()
    {
        var desk = new TradingDesk(Plain()) { Height = 5 };
        var soon = desk.Rest(Alice, Side.Buy, 10, 10, expiry: 8);
        var later = desk.Rest(Bob, Side.Buy, 9, 10, expiry: 9);
        var never = desk.Rest(Carol, Side.Buy, 8, 10);

        Assert.Equal(0, desk.Expire(7));
        Assert.Equal(1, desk.Expire(8));
        var expired = desk.LastEventOf(soon);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.ExpiredAtHeight, (UInt128)100), (expired.Kind, expired.Reason, expired.FundsReleased));
        Assert.Equal(1, desk.Expire(20));
        Assert.Equal(later, desk.Last.Events.Single().OrderId);
        Assert.Equal([never], desk.Book.Orders(Side.Buy).Select(o => o.Id));

        Assert.Equal(OrderReason.Expired, desk.Place(OrderRequest.Limit(Alice, Side.Buy, 10, 10, expiryHeight: 5)).Reject);
        desk.AssertBalanced();
    }

    [Fact]
    public void Fees_are_charged_in_the_asset_received_at_maker_and_taker_rates_rounded_up()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Alice, Side.Sell, 10, 1_234);           // maker, receives quote
        desk.Place(OrderRequest.Limit(Bob, Side.Buy, 10, 1_234)); // taker, receives base

        var fill = Assert.Single(desk.Last.Fills);
        Assert.Equal((UInt128)12_340, fill.QuoteAmount);
        Assert.Equal((UInt128)13, fill.MakerFee);  // 12,340 * 0.1% = 12.34 -> 13 quote
        Assert.Equal((UInt128)3, fill.TakerFee);   // 1,234 * 0.2% = 2.468 -> 3 base
        Assert.Equal(1_000_000_000 + 12_340 - 13, (long)desk.Ledger.Free(Alice, Ledger.Asset.Quote));
        Assert.Equal(1_000_000_000 + 1_234 - 3, (long)desk.Ledger.Free(Bob, Ledger.Asset.Base));
        Assert.Equal(13, (int)desk.Ledger.QuoteFees);
        Assert.Equal(3, (int)desk.Ledger.BaseFees);
        desk.AssertBalanced();
    }

    [Theory]
    [InlineData(0, 10, OrderReason.ZeroSize)]
    [InlineData(10, 0, OrderReason.ZeroPrice)]
    [InlineData(10, 7, OrderReason.OffTick)]
    [InlineData(15, 10, OrderReason.OffLot)]
    [InlineData(10, 10, OrderReason.BelowMinNotional)]
    public void Bad_orders_are_rejected_with_a_specific_reason_and_change_nothing(int size, int price, OrderReason expected)
    {
        var desk = new TradingDesk(new MarketRules(TickSize: 5, LotSize: 10, PriceScale: 1, MinNotional: 101, MakerFeePpm: 0, TakerFeePpm: 0));
        desk.Rest(Alice, Side.Sell, 50, 10);
        var before = desk.Book.ComputeHash();
        var nextId = desk.Book.NextOrderId;

        var result = desk.Place(OrderRequest.Limit(Bob, Side.Buy, (UInt128)price, (UInt128)size));

        Assert.Equal(expected, result.Reject);
        var rejected = Assert.Single(desk.Last.Events);
        Assert.Equal((OrderEventKind.Rejected, expected), (rejected.Kind, rejected.Reason));
        Assert.Equal(before, desk.Book.ComputeHash());
        Assert.Equal(nextId, desk.Book.NextOrderId);
        desk.AssertBalanced();
    }

    [Fact]
    public void Duplicate_client_ids_and_missing_funds_are_rejected()
    {
        var desk = new TradingDesk(Plain());
        desk.Rest(Alice, Side.Buy, 10, 10, clientOrderId: 1);
        Assert.Equal(OrderReason.DuplicateClientOrderId, desk.Place(OrderRequest.Limit(Alice, Side.Buy, 11, 10, clientOrderId: 1)).Reject);
        Assert.True(desk.Place(OrderRequest.Limit(Bob, Side.Buy, 11, 10, clientOrderId: 1)).Accepted); // per account

        var poor = MarketTestKit.AccountNumber(42);
        desk.Ledger.Fund(poor, Ledger.Asset.Quote, 99);
        Assert.Equal(OrderReason.InsufficientFunds, desk.Place(OrderRequest.Limit(poor, Side.Buy, 10, 10)).Reject);
        Assert.Equal(OrderReason.InsufficientFunds, desk.Place(OrderRequest.Limit(poor, Side.Sell, 10, 10)).Reject);
        Assert.True(desk.Place(OrderRequest.Limit(poor, Side.Buy, 9, 11)).Accepted);
        desk.AssertBalanced();
    }

    [Fact]
    public void An_order_too_large_for_128_bit_arithmetic_is_rejected()
    {
        var desk = new TradingDesk(Plain());
        var huge = UInt128.MaxValue / 2;
        Assert.Equal(OrderReason.TooLarge, desk.Place(OrderRequest.Limit(Alice, Side.Buy, huge, 4)).Reject);
    }
}
