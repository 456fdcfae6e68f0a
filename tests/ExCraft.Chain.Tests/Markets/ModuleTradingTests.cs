using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>The markets module on a real chain: genesis markets, trades with exact balances and fees, the in-block order, cancels and restarts.</summary>
public sealed class ModuleTradingTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    private IReadOnlyList<ChainEvent> LastBlockEvents() => _k.Chain.Chain.GetBlockEvents(_k.Chain.Chain.Head.Height);

    [Fact]
    public void Genesis_lists_the_markets_with_their_price_scale_and_the_authority()
    {
        var markets = _k.Queries.Markets();
        Assert.Equal(["GOLD/EXT", "GOLD/USD"], markets.Select(m => m.Definition.Pair));
        Assert.Equal(GoldUnit, markets[0].PriceScale);
        Assert.Equal(Ext / 1000, markets[0].Definition.TickSize);
        Assert.Equal(Accounts[0], _k.Queries.Authority);
        Assert.False(markets[0].Definition.Halted);
    }

    [Fact]
    public void A_crossing_buy_trades_at_the_resting_price_with_exact_balances_fees_and_trade_record()
    {
        var sell = _k.One(1, Limit(EXT, buy: false, 2 * Ext, 10 * GoldUnit));
        Assert.True(sell.Success, sell.Error);
        Assert.Equal(GoldStart - 10 * GoldUnit, _k.Balance(1, Gold));
        Assert.Equal(10 * GoldUnit, _k.Locked(1, Gold));

        var buy = _k.One(2, Limit(EXT, buy: true, 3 * Ext, 4 * GoldUnit));
        Assert.True(buy.Success, buy.Error);
        var tradeHeight = _k.Chain.Chain.Head.Height;

        // 4 GOLD at 2 EXT = 8 EXT. Buyer (taker, 0.2%) gets 4 GOLD - 0.008 GOLD; seller (maker, 0.1%) gets 8 EXT - 0.008 EXT.
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee - 8 * Ext, _k.Balance(2, EXT));
        Assert.Equal(GoldStart + 4 * GoldUnit - 8_000, _k.Balance(2, Gold));
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee + 8 * Ext - 8 * Ext / 1000, _k.Balance(1, EXT));
        Assert.Equal(GoldStart - 10 * GoldUnit, _k.Balance(1, Gold));
        Assert.Equal(6 * GoldUnit, _k.Locked(1, Gold));
        Assert.Equal(UInt128.Zero, _k.Locked(2, EXT)); // 12 EXT reserved, 8 paid, 4 released
        Assert.Equal([(EXT, 8 * Ext / 1000), (Gold, (UInt128)8_000)], _k.Queries.FeePools().ToList());

        var trade = Assert.Single(_k.Queries.Trades(Gold, EXT, 1, 10));
        Assert.Equal((1ul, tradeHeight, Accounts[2], Accounts[1], 2ul, 1ul, true), (trade.Id, trade.Height, trade.Buyer, trade.Seller, trade.BuyOrderId, trade.SellOrderId, trade.TakerIsBuyer));
        Assert.Equal((2 * Ext, 4 * GoldUnit, 8 * Ext, (UInt128)8_000, 8 * Ext / 1000), (trade.Price, trade.BaseAmount, trade.QuoteAmount, trade.BuyerFee, trade.SellerFee));
        Assert.Equal([new DepthLevel(2 * Ext, 6 * GoldUnit, 1)], _k.Queries.Depth(Gold, EXT, Side.Sell, 10));
        Assert.Empty(_k.Queries.Depth(Gold, EXT, Side.Buy, 10));
        var events = LastBlockEvents();
        Assert.Contains(events, e => e.Type == MarketsModule.Events.Trade && e.Get("quoteAmount") == (8 * Ext).ToString());
        Assert.Contains(events, e => e.Type == MarketsModule.Events.Order && e.Get("orderId") == "2" && e.Get("change") == "filled");
        Assert.Contains(events, e => e.Type == MarketsModule.Events.Order && e.Get("orderId") == "1" && e.Get("change") == "partially_filled");

        var cancel = _k.One(1, new CancelOrderPayload(Gold, EXT, 1, 0));
        Assert.True(cancel.Success, cancel.Error);
        Assert.Equal(GoldStart - 4 * GoldUnit, _k.Balance(1, Gold));
        Assert.Equal(UInt128.Zero, _k.Locked(1, Gold));
        Assert.Null(_k.Queries.Order(Gold, EXT, 1));
        Assert.Empty(_k.Queries.OpenOrders(Accounts[1]));
    }

    [Fact]
    public void A_cancel_in_the_same_block_lands_before_a_taker_that_came_first()
    {
        Assert.True(_k.One(1, Limit(EXT, buy: false, 2 * Ext, 10 * GoldUnit, clientId: 77)).Success);

        var receipts = _k.Block(_k.Sign(2, Limit(EXT, buy: true, 2 * Ext, 10 * GoldUnit)), _k.Sign(1, new CancelOrderPayload(Gold, EXT, 0, 77)));

        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
        Assert.Empty(_k.Queries.Trades(Gold, EXT, 1, 10));
        Assert.Equal(GoldStart, _k.Balance(1, Gold));
        Assert.Equal(UInt128.Zero, _k.Locked(1, Gold));
        var resting = Assert.Single(_k.Queries.OpenOrders(Accounts[2]));
        Assert.Equal((2ul, Side.Buy, 20 * Ext), (resting.Order.Id, resting.Order.Side, resting.Order.Locked));
        Assert.Equal(20 * Ext, _k.Locked(2, EXT));
    }

    [Fact]
    public void Post_only_places_go_in_before_other_places_of_the_block()
    {
        // The taker is first in the block, but the post-only sell rests before it runs, so they trade.
        var receipts = _k.Block(_k.Sign(2, Limit(EXT, buy: true, 2 * Ext, 1 * GoldUnit, timeInForce: 1)),
            _k.Sign(1, Limit(EXT, buy: false, 2 * Ext, 1 * GoldUnit, timeInForce: 3)));
        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
        var trade = Assert.Single(_k.Queries.Trades(Gold, EXT, 1, 10));
        Assert.Equal((Accounts[1], Accounts[2], 1ul, 2ul), (trade.Seller, trade.Buyer, trade.SellOrderId, trade.BuyOrderId));
    }

    [Fact]
    public void Cancel_all_returns_every_lock_on_one_market_or_on_all()
    {
        Assert.True(_k.One(1, Limit(EXT, buy: false, 5 * Ext, 3 * GoldUnit)).Success);
        Assert.True(_k.One(1, Limit(Usd, buy: true, 2 * GoldUnit, 4 * GoldUnit)).Success); // 2 USD a GOLD: 8 USD
        Assert.True(_k.One(1, Limit(Usd, buy: false, 9 * GoldUnit, 1 * GoldUnit)).Success);
        Assert.Equal(4 * GoldUnit, _k.Locked(1, Gold));
        Assert.Equal(8 * GoldUnit, _k.Locked(1, Usd));

        Assert.True(_k.One(1, new CancelAllPayload(Gold, Usd)).Success);
        Assert.Equal(3 * GoldUnit, _k.Locked(1, Gold));
        Assert.Equal(UInt128.Zero, _k.Locked(1, Usd));
        Assert.Equal(UsdStart, _k.Balance(1, Usd));

        Assert.True(_k.One(1, new CancelAllPayload("", "")).Success);
        Assert.Equal(UInt128.Zero, _k.Locked(1, Gold));
        Assert.Equal(GoldStart, _k.Balance(1, Gold));
        Assert.Empty(_k.Queries.OpenOrders(Accounts[1]));
    }

    [Fact]
    public void An_order_expires_at_its_height_and_its_funds_return()
    {
        var expiry = _k.Chain.Chain.Head.Height + 3;
        Assert.True(_k.One(1, Limit(EXT, buy: false, 2 * Ext, 1 * GoldUnit, expiry: expiry)).Success);
        Assert.NotNull(_k.Queries.Order(Gold, EXT, 1));
        for (var i = 0; i < 10 && _k.Chain.Chain.Head.Height < expiry; i++) _k.Chain.ProduceBlock();
        Assert.Null(_k.Queries.Order(Gold, EXT, 1));
        Assert.Equal(GoldStart, _k.Balance(1, Gold));
        Assert.Contains(LastBlockEvents(), e => e.Type == MarketsModule.Events.Order && e.Get("reason") == "expired_at_height");
    }

    [Fact]
    public void Books_reload_from_state_after_a_restart_and_keep_price_time_priority()
    {
        Assert.True(_k.One(1, Limit(EXT, buy: false, 2 * Ext, 1 * GoldUnit)).Success);
        Assert.True(_k.One(3, Limit(EXT, buy: false, 2 * Ext, 1 * GoldUnit)).Success);
        Assert.True(_k.One(1, Limit(EXT, buy: false, 1 * Ext, 1 * GoldUnit)).Success);
        _k.Chain.Reopen();

        Assert.Equal([new DepthLevel(1 * Ext, GoldUnit, 1), new DepthLevel(2 * Ext, 2 * GoldUnit, 2)], _k.Queries.Depth(Gold, EXT, Side.Sell, 5));
        Assert.True(_k.One(2, Limit(EXT, buy: true, 2 * Ext, 2 * GoldUnit)).Success);
        var trades = _k.Queries.Trades(Gold, EXT, 1, 10);
        Assert.Equal([3ul, 1ul], trades.Select(t => t.SellOrderId)); // best price first, then the older of the two at 2 EXT
        Assert.Equal(4ul, trades[0].BuyOrderId); // order ids continue after the restart
    }
}
