using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>Bad orders and governance requests: each is refused with its specific error, and nothing changes but the fee.</summary>
public sealed class ModuleRefusalTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    private void AssertRefused(int from, TxPayload payload, string error)
    {
        var before = Snapshot();
        var receipt = _k.One(from, payload);
        Assert.False(receipt.Success);
        Assert.Contains(error, receipt.Error);
        var after = Snapshot();
        Assert.Equal(before with { Ext = before.Ext - TestChain.MinFee }, after);
    }

    private sealed record State(UInt128 Ext, UInt128 Gold, UInt128 Usd, UInt128 LockedGold, UInt128 LockedExt, int Markets, int Orders, string Halted);

    private State Snapshot() => new(_k.Balance(1, EXT), _k.Balance(1, Gold), _k.Balance(1, Usd), _k.Locked(1, Gold), _k.Locked(1, EXT),
        _k.Queries.Markets().Count, _k.Queries.OpenOrders(Accounts[1]).Count + _k.Queries.OpenOrders(Accounts[2]).Count,
        string.Join(",", _k.Queries.Markets().Select(m => m.Definition.Halted)));

    [Fact]
    public void Off_tick_off_lot_below_min_notional_and_insufficient_funds_are_refused()
    {
        AssertRefused(1, Limit(EXT, false, 2 * Ext + 1, GoldUnit), "off_tick");
        AssertRefused(1, Limit(EXT, false, 2 * Ext, GoldUnit + 1), "off_lot");
        AssertRefused(1, Limit(EXT, false, 2 * Ext, 10_000), "below_min_notional"); // 0.01 GOLD at 2 EXT is 0.02 EXT
        // A sell declares its size as spend, so the mempool already turns away one the balance cannot cover.
        var oversell = _k.Chain.Submit(_k.Chain.Sign(1, Limit(EXT, false, 2 * Ext, GoldStart + GoldUnit), _k.Chain.Nonce(Accounts[1])));
        Assert.False(oversell.Accepted);
        Assert.Contains(Gold, oversell.Error);
        // So does a priced buy (its lock at the market's price scale): 1,200 EXT against 1,000.
        var overbuy = _k.Chain.Submit(_k.Chain.Sign(1, Limit(EXT, true, 2 * Ext, 600 * GoldUnit), _k.Chain.Nonce(Accounts[1])));
        Assert.Equal(RejectReason.InsufficientFunds, overbuy.Reason);
        Assert.Contains("insufficient EXT balance", overbuy.Error);
        // An agent's action is not counted against the account in the mempool, so the same buy sent by an agent fails at execution.
        Assert.True(_k.One(1, new AuthorizeAgentPayload(Accounts[3], 1_000)).Success);
        AssertRefused(3, new AgentActionPayload(Accounts[1], Limit(EXT, true, 2 * Ext, 600 * GoldUnit)), "insufficient_funds");
        AssertRefused(1, Limit(EXT, false, 2 * Ext, GoldUnit, expiry: 1), "expired");
    }

    [Fact]
    public void Unknown_and_halted_markets_are_refused()
    {
        AssertRefused(1, new PlaceOrderPayload(Usd, EXT, 1, 0, 0, Ext, GoldUnit, 0, 0, 0, 0), "unknown market USD/EXT");
        Assert.True(_k.One(0, new HaltMarketPayload(Gold, Usd, true)).Success);
        AssertRefused(1, Limit(Usd, false, 2 * GoldUnit, GoldUnit), "market GOLD/USD is halted");
        Assert.True(_k.One(0, new HaltMarketPayload(Gold, Usd, false)).Success);
        Assert.True(_k.One(1, Limit(Usd, false, 2 * GoldUnit, GoldUnit)).Success);
    }

    [Fact]
    public void Cancelling_another_accounts_order_or_an_order_that_is_not_open_is_refused()
    {
        Assert.True(_k.One(2, Limit(EXT, false, 2 * Ext, GoldUnit)).Success);
        AssertRefused(1, new CancelOrderPayload(Gold, EXT, 1, 0), "belongs to another account");
        AssertRefused(1, new CancelOrderPayload(Gold, EXT, 9, 0), "order 9 is not open");
        AssertRefused(1, new CancelOrderPayload(Gold, EXT, 0, 5), "no open order with client order id 5");
        Assert.NotNull(_k.Queries.Order(Gold, EXT, 1));
    }

    [Fact]
    public void A_post_only_that_would_cross_is_rejected_at_matching_and_its_reservation_returns()
    {
        Assert.True(_k.One(2, Limit(EXT, true, 2 * Ext, GoldUnit)).Success);
        var before = _k.Balance(1, Gold);
        var receipt = _k.One(1, Limit(EXT, false, 2 * Ext, GoldUnit, timeInForce: 3));
        Assert.True(receipt.Success, receipt.Error); // the transaction is valid; matching refuses the order
        Assert.Equal(before, _k.Balance(1, Gold));
        Assert.Equal(UInt128.Zero, _k.Locked(1, Gold));
        Assert.Empty(_k.Queries.Trades(Gold, EXT, 1, 10));
        Assert.Contains(_k.Chain.Chain.GetBlockEvents(_k.Chain.Chain.Head.Height),
            e => e.Type == MarketsModule.Events.Order && e.Get("change") == "rejected" && e.Get("reason") == "post_only_would_cross");
    }

    [Fact]
    public void Only_the_authority_lists_updates_and_halts_markets()
    {
        var usdExt = new MarketDefinition(Usd, EXT, Ext / 1000, 10_000, Ext, 500, 1_000, 0, false);
        AssertRefused(1, new ListMarketPayload(usdExt), "only the markets authority");
        AssertRefused(1, new HaltMarketPayload(Gold, EXT, true), "only the markets authority");
        AssertRefused(0 + 1, new UpdateMarketPayload(ModuleTestKit.Market(EXT, Ext / 1000) with { MakerFeePpm = 0 }), "only the markets authority");

        var listed = _k.One(0, new ListMarketPayload(usdExt));
        Assert.True(listed.Success, listed.Error);
        Assert.Equal(Amount.FromWhole(1, 6), _k.Queries.Market(Usd, EXT)!.PriceScale);
        Assert.False(_k.One(0, new ListMarketPayload(usdExt)).Success);

        var updated = _k.One(0, new UpdateMarketPayload(ModuleTestKit.Market(EXT, Ext / 1000) with { TakerFeePpm = 3_000 }));
        Assert.True(updated.Success, updated.Error);
        Assert.Equal(3_000u, _k.Queries.Market(Gold, EXT)!.Definition.TakerFeePpm);
    }

    [Fact]
    public void Tick_and_lot_cannot_change_while_orders_rest()
    {
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, GoldUnit)).Success);
        var receipt = _k.One(0, new UpdateMarketPayload(ModuleTestKit.Market(EXT, Ext / 100)));
        Assert.False(receipt.Success);
        Assert.Contains("tick and lot size can change only while no order rests", receipt.Error);
    }
}
