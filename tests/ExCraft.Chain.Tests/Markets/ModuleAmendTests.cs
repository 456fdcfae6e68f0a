using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>amend_order on a real chain: priority kept or lost, the lock following the new price and size, a crossing amend trading, and refusals.</summary>
public sealed class ModuleAmendTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    [Fact]
    public void A_smaller_size_keeps_priority_and_releases_the_difference()
    {
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 5 * GoldUnit)).Success);
        Assert.True(_k.One(3, Limit(EXT, false, 2 * Ext, 5 * GoldUnit)).Success);
        var amend = _k.One(1, new AmendOrderPayload(Gold, EXT, 1, 2 * Ext, 2 * GoldUnit));
        Assert.True(amend.Success, amend.Error);
        Assert.Equal(2 * GoldUnit, _k.Locked(1, Gold));
        Assert.Equal(GoldStart - 2 * GoldUnit, _k.Balance(1, Gold));

        Assert.True(_k.One(2, Limit(EXT, true, 2 * Ext, 1 * GoldUnit)).Success);
        Assert.Equal(1ul, Assert.Single(_k.Queries.Trades(Gold, EXT, 1, 10)).SellOrderId); // still first in line
    }

    [Fact]
    public void A_buy_raised_across_the_book_reserves_more_and_trades_at_the_resting_price()
    {
        Assert.True(_k.One(1, Limit(EXT, false, 3 * Ext, 2 * GoldUnit)).Success);
        Assert.True(_k.One(2, Limit(EXT, true, 2 * Ext, 2 * GoldUnit)).Success);
        Assert.Equal(4 * Ext, _k.Locked(2, EXT));

        var amend = _k.One(2, new AmendOrderPayload(Gold, EXT, 2, 4 * Ext, 2 * GoldUnit));
        Assert.True(amend.Success, amend.Error);
        var trade = Assert.Single(_k.Queries.Trades(Gold, EXT, 1, 10));
        Assert.Equal((3 * Ext, 2 * GoldUnit, 6 * Ext), (trade.Price, trade.BaseAmount, trade.QuoteAmount));
        Assert.Equal(UInt128.Zero, _k.Locked(2, EXT)); // 8 reserved after the amend, 6 paid, 2 released
        Assert.Equal(TestChain.StartBalance - 2 * TestChain.MinFee - 6 * Ext, _k.Balance(2, EXT));
    }

    [Fact]
    public void Amending_another_accounts_order_off_tick_or_beyond_the_balance_is_refused_and_changes_nothing()
    {
        Assert.True(_k.One(2, Limit(EXT, true, 2 * Ext, 2 * GoldUnit)).Success);
        var before = (_k.Balance(2, EXT), _k.Locked(2, EXT), _k.Queries.Order(Gold, EXT, 1));

        var other = _k.One(1, new AmendOrderPayload(Gold, EXT, 1, 2 * Ext, GoldUnit));
        Assert.Contains("belongs to another account", other.Error);
        var offTick = _k.One(2, new AmendOrderPayload(Gold, EXT, 1, 2 * Ext + 1, GoldUnit));
        Assert.Contains("amend refused: off_tick", offTick.Error);
        var tooBig = _k.One(2, new AmendOrderPayload(Gold, EXT, 1, 2 * Ext, 600 * GoldUnit)); // 1,200 EXT
        Assert.Contains("amend refused: insufficient_funds", tooBig.Error);

        Assert.Equal((before.Item1 - 2 * TestChain.MinFee, before.Item2, before.Item3), (_k.Balance(2, EXT), _k.Locked(2, EXT), _k.Queries.Order(Gold, EXT, 1)));
    }

    [Fact]
    public void An_unchanged_amend_is_rejected_at_matching_and_its_order_stays()
    {
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, GoldUnit)).Success);
        Assert.True(_k.One(1, new AmendOrderPayload(Gold, EXT, 1, 2 * Ext, GoldUnit)).Success);
        Assert.Contains(_k.Chain.Chain.GetBlockEvents(_k.Chain.Chain.Head.Height),
            e => e.Type == MarketsModule.Events.Order && e.Get("change") == "rejected" && e.Get("reason") == "amend_unchanged");
        Assert.Equal(GoldUnit, _k.Queries.Order(Gold, EXT, 1)!.Value.RemainingSize);
    }
}
