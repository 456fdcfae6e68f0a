using ExCraft.Chain.Modules.Markets.Matching;
using static ExCraft.Chain.Tests.Markets.MarketTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>Batch-auction mode: one uniform price per block, its price rule and tie-breaks.</summary>
public class BatchAuctionTests
{
    [Fact]
    public void Orders_wait_for_the_auction_which_clears_at_the_price_of_most_volume()
    {
        var desk = new TradingDesk(Plain(MatchingMode.BatchAuction));
        var d = desk.Rest(Carol, Side.Sell, 99, 8);
        var e = desk.Rest(Carol, Side.Sell, 102, 10);
        var f = desk.Rest(Carol, Side.Sell, 106, 10);
        var a = desk.Rest(Alice, Side.Buy, 105, 10);
        Assert.Empty(desk.Last.Fills); // crossing, but nothing trades before the auction
        var b = desk.Rest(Bob, Side.Buy, 103, 10);
        var c = desk.Rest(Alice, Side.Buy, 100, 5);

        // Volume at 99: 8, 100: 8, 102: 18, 103: 18, 105: 10. 102 and 103 tie on volume and on
        // imbalance (20 vs 18); with no last trade the lower price wins.
        Assert.Equal((UInt128)102, desk.Auction());

        Assert.All(desk.Last.Fills, fill => Assert.Equal((UInt128)102, fill.Price));
        Assert.Equal([(a, d, (UInt128)8), (a, e, 2), (b, e, 8)], desk.Last.Fills.Select(x => (x.BuyOrderId, x.SellOrderId, x.BaseAmount)));
        // In each pair the older order is the maker: the asks were placed first.
        Assert.All(desk.Last.Fills, fill => Assert.Equal(Side.Buy, fill.TakerSide));
        Assert.Equal([b, c], desk.Book.Orders(Side.Buy).Select(o => o.Id));
        Assert.Equal((UInt128)2, desk.Book.GetOrder(b)!.Value.RemainingSize);
        Assert.Equal([f], desk.Book.Orders(Side.Sell).Select(o => o.Id));
        // A buy that paid 102 for a 105 limit got the difference back.
        Assert.Equal(OrderEventKind.Filled, desk.LastEventOf(a).Kind);
        Assert.Equal((UInt128)(1_050 - 8 * 102 - 2 * 102), desk.LastEventOf(a).FundsReleased);
        Assert.Equal((UInt128)102, desk.Book.LastTradePrice);
        desk.AssertBalanced();
    }

    [Fact]
    public void Equal_volume_goes_to_the_smaller_imbalance()
    {
        var desk = new TradingDesk(Plain(MatchingMode.BatchAuction));
        desk.Rest(Alice, Side.Buy, 105, 10);
        desk.Rest(Alice, Side.Buy, 100, 5);
        desk.Rest(Bob, Side.Sell, 100, 10);
        // Volume 10 at both 100 and 105; demand is 15 at 100 but 10 at 105, supply 10: 105 balances.
        Assert.Equal((UInt128)105, desk.Auction());
        desk.AssertBalanced();
    }

    [Fact]
    public void Then_the_price_nearest_the_last_trade_then_the_lower_price()
    {
        var desk = new TradingDesk(Plain(MatchingMode.BatchAuction));
        desk.Rest(Alice, Side.Buy, 110, 10);
        desk.Rest(Bob, Side.Sell, 110, 10);
        Assert.Equal((UInt128)110, desk.Auction());

        desk.Rest(Alice, Side.Buy, 104, 10);
        desk.Rest(Bob, Side.Sell, 98, 10);
        // 98 and 104 tie on volume and imbalance; 104 is nearer the last trade (110).
        Assert.Equal((UInt128)104, desk.Auction());
        desk.AssertBalanced();
    }

    [Fact]
    public void Immediate_orders_lose_their_remainder_after_the_auction_and_good_till_cancel_rests()
    {
        var desk = new TradingDesk(Plain(MatchingMode.BatchAuction));
        desk.Rest(Alice, Side.Sell, 100, 10);
        var ioc = desk.Place(OrderRequest.Limit(Bob, Side.Buy, 101, 15, TimeInForce.ImmediateOrCancel)).OrderId;
        var market = desk.Place(OrderRequest.Market(Carol, Side.Buy, 5, worstPrice: 90)).OrderId;
        var gtc = desk.Rest(Carol, Side.Buy, 95, 5);

        desk.Auction();

        Assert.Equal((UInt128)10, Assert.Single(desk.Last.Fills).BaseAmount);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.UnfilledRemainder), (desk.LastEventOf(ioc).Kind, desk.LastEventOf(ioc).Reason));
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.UnfilledRemainder), (desk.LastEventOf(market).Kind, desk.LastEventOf(market).Reason));
        Assert.Equal([gtc], desk.Book.Orders(Side.Buy).Select(o => o.Id));
        desk.AssertBalanced();
    }

    [Fact]
    public void Order_types_that_need_continuous_matching_are_refused()
    {
        var desk = new TradingDesk(Plain(MatchingMode.BatchAuction));
        Assert.Equal(OrderReason.UnsupportedInBatchMode, desk.Place(OrderRequest.Limit(Alice, Side.Buy, 10, 10, TimeInForce.PostOnly)).Reject);
        Assert.Equal(OrderReason.UnsupportedInBatchMode, desk.Place(OrderRequest.Limit(Alice, Side.Buy, 10, 10, TimeInForce.FillOrKill)).Reject);
        Assert.Equal(OrderReason.UnsupportedInBatchMode, desk.Place(OrderRequest.MarketBuyWithBudget(Alice, 100)).Reject);
        Assert.Equal(0, desk.Book.OpenOrderCount);
    }

    [Fact]
    public void A_self_trade_pair_is_resolved_by_the_newer_orders_mode_before_the_auction_trades()
    {
        var desk = new TradingDesk(Plain(MatchingMode.BatchAuction));
        var ownAsk = desk.Rest(Alice, Side.Sell, 100, 10);
        var bobAsk = desk.Rest(Bob, Side.Sell, 101, 10);
        var buy = desk.Place(OrderRequest.Limit(Alice, Side.Buy, 102, 10, selfTrade: SelfTradePrevention.CancelResting)).OrderId;

        Assert.Equal((UInt128)101, desk.Auction());

        Assert.Equal((OrderEventKind.Cancelled, OrderReason.SelfTrade), (desk.LastEventOf(ownAsk).Kind, desk.LastEventOf(ownAsk).Reason));
        var fill = Assert.Single(desk.Last.Fills);
        Assert.Equal((buy, bobAsk, (UInt128)101), (fill.BuyOrderId, fill.SellOrderId, fill.Price));
        desk.AssertBalanced();
    }

    [Fact]
    public void A_pair_that_would_round_to_zero_cancels_the_order_limiting_it_and_the_auction_is_recomputed()
    {
        // One unit at 50 per 100 units is worth 0.5 quote, rounded to 0.
        var desk = new TradingDesk(new MarketRules(TickSize: 1, LotSize: 1, PriceScale: 100, MinNotional: 1, MakerFeePpm: 0, TakerFeePpm: 0, MatchingMode.BatchAuction));
        var ask = desk.Rest(Carol, Side.Sell, 50, 3);  // worth 1.5 -> 1
        var high = desk.Rest(Alice, Side.Buy, 60, 2);  // worth 1.2 -> 1
        var low = desk.Rest(Bob, Side.Buy, 55, 2);     // worth 1.1 -> 1

        // Clearing at 50 for 3 units pairs 2 (worth 1) then 1 (worth 0): the ask limits that pair,
        // so it is cancelled and the auction recomputed, leaving nothing to trade.
        Assert.Equal(UInt128.Zero, desk.Auction());
        Assert.Empty(desk.Last.Fills);
        Assert.Equal((OrderEventKind.Cancelled, OrderReason.RoundsToZero), (desk.LastEventOf(ask).Kind, desk.LastEventOf(ask).Reason));
        Assert.Equal([high, low], desk.Book.Orders(Side.Buy).Select(o => o.Id));
        desk.AssertBalanced();
    }

    [Fact]
    public void Nothing_crossing_means_no_trade_and_the_auction_is_a_no_op_in_continuous_mode()
    {
        var desk = new TradingDesk(Plain(MatchingMode.BatchAuction));
        desk.Rest(Alice, Side.Buy, 99, 10);
        desk.Rest(Bob, Side.Sell, 100, 10);
        var before = desk.Book.ComputeHash();
        Assert.Equal(UInt128.Zero, desk.Auction());
        Assert.Equal(before, desk.Book.ComputeHash());

        var continuous = new TradingDesk(Plain());
        continuous.Rest(Alice, Side.Buy, 99, 10);
        Assert.Equal(UInt128.Zero, continuous.Auction());
        Assert.Empty(continuous.Last.Events);
    }

    [Fact]
    public void Random_blocks_clear_at_one_price_with_the_most_volume_and_leave_an_uncrossed_book()
    {
        var accounts = Enumerable.Range(1, 12).Select(AccountNumber).ToArray();
        var checkedVolumes = 0;
        for (var seed = 1; seed <= 300; seed++)
        {
            var random = new Random(seed);
            var desk = new TradingDesk(Plain(MatchingMode.BatchAuction), fund: false);
            foreach (var account in accounts)
            {
                desk.Ledger.Fund(account, Ledger.Asset.Base, 1_000_000);
                desk.Ledger.Fund(account, Ledger.Asset.Quote, 100_000_000);
            }
            for (var block = 0; block < 10; block++)
            {
                for (var i = random.Next(1, 15); i > 0; i--)
                {
                    var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                    var price = (UInt128)(100 + (side == Side.Buy ? -random.Next(-5, 6) : random.Next(-5, 6)));
                    var tif = random.Next(4) == 0 ? TimeInForce.ImmediateOrCancel : TimeInForce.GoodTillCancel;
                    desk.Place(OrderRequest.Limit(accounts[random.Next(accounts.Length)], side, price, (UInt128)random.Next(1, 20), tif,
                        selfTrade: (SelfTradePrevention)random.Next(3)));
                }
                var bids = desk.Book.Orders(Side.Buy).ToList();
                var asks = desk.Book.Orders(Side.Sell).ToList();
                var price0 = desk.Auction();
                var fills = desk.Last.Fills;

                Assert.All(fills, fill => Assert.Equal(price0, fill.Price));
                Assert.True(desk.Book.BestPrice(Side.Buy) is not { } bid || desk.Book.BestPrice(Side.Sell) is not { } ask || bid < ask, $"seed {seed}: book still crossed");
                var conflicts = desk.Last.Events.Any(e => e.Reason is OrderReason.SelfTrade or OrderReason.RoundsToZero);
                if (!conflicts)
                {
                    // Brute force over every price in range: no price executes more.
                    UInt128 best = 0;
                    for (UInt128 p = 80; p <= 120; p++)
                    {
                        var demand = bids.Where(o => o.Price >= p).Aggregate(UInt128.Zero, (s, o) => s + o.RemainingSize);
                        var supply = asks.Where(o => o.Price <= p).Aggregate(UInt128.Zero, (s, o) => s + o.RemainingSize);
                        best = UInt128.Max(best, UInt128.Min(demand, supply));
                    }
                    Assert.Equal(best, fills.Aggregate(UInt128.Zero, (s, x) => s + x.BaseAmount));
                    checkedVolumes++;
                }
                foreach (var fill in fills)
                {
                    Assert.NotEqual(fill.Buyer, fill.Seller);
                    Assert.True(bids.Single(o => o.Id == fill.BuyOrderId).Price >= fill.Price);
                    Assert.True(asks.Single(o => o.Id == fill.SellOrderId).Price <= fill.Price);
                }
                desk.AssertBalanced();
            }
        }
        Assert.True(checkedVolumes > 1_000, $"only {checkedVolumes} auctions had their volume checked");
    }
}
