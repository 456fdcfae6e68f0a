using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>Batch-auction markets on a real chain: a block's crossing orders clear at its end at one price; types that need continuous matching are refused.</summary>
public sealed class ModuleBatchTests : IDisposable
{
    private readonly ModuleTestKit _k = new(m => m with { Mode = 1 });
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Crossing_orders_of_a_block_clear_at_one_price_at_its_end()
    {
        var receipts = _k.Block(_k.Sign(2, Limit(EXT, true, 3 * Ext, 2 * GoldUnit)), _k.Sign(1, Limit(EXT, false, 2 * Ext, 1 * GoldUnit)),
            _k.Sign(3, Limit(EXT, false, 2 * Ext, 1 * GoldUnit)));
        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
        var trades = _k.Queries.Trades(Gold, EXT, 1, 10);
        Assert.Equal(2, trades.Count);
        Assert.Single(trades.Select(t => t.Price).Distinct());
        Assert.Empty(_k.Queries.OpenOrders(Accounts[2]));
        Assert.Equal(UInt128.Zero, _k.Locked(2, EXT));
        var fees = trades.Aggregate(UInt128.Zero, (sum, t) => sum + t.BuyerFee);
        var paid = trades.Aggregate(UInt128.Zero, (sum, t) => sum + t.QuoteAmount);
        Assert.Equal(GoldStart + 2 * GoldUnit - fees, _k.Balance(2, Gold));
        Assert.Equal(TestChain.StartBalance - TestChain.MinFee - paid, _k.Balance(2, EXT));
        Assert.Equal(2 * trades[0].Price, paid); // 2 GOLD, all at the one clearing price
    }

    [Fact]
    public void Post_only_is_refused_in_a_batch_market()
    {
        var receipt = _k.One(1, Limit(EXT, false, 2 * Ext, GoldUnit, timeInForce: 3));
        Assert.False(receipt.Success);
        Assert.Contains("unsupported_in_batch_mode", receipt.Error);
        Assert.Equal(GoldStart, _k.Balance(1, Gold));
    }
}
