using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// Expiry by block time on a real chain: the begin-block hook cancels an order in the first block
/// whose header time reaches its expiry time and returns its funds; the time index follows the
/// order through amends, fills and restarts. (The test chain's blocks are 100 ms apart.)
/// </summary>
public sealed class ModuleTimeExpiryTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    private ulong HeadTime => _k.Chain.Chain.Head.TimeMs;

    private int TimeIndexEntries => _k.Chain.Chain.State.IteratePrefix(MarketsKeys.AllTimeExpiries).Count();

    [Fact]
    public void An_order_is_cancelled_in_the_first_block_whose_time_reaches_its_expiry_and_its_funds_return()
    {
        var expiry = HeadTime + 350; // blocks at +100 (placed), +200, +300 keep it; +400 expires it
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 10 * GoldUnit, expiryTimeMs: expiry)).Success);
        Assert.Equal(expiry, _k.Queries.ExpiryTime(Gold, EXT, 1));
        _k.Chain.ProduceBlock();
        _k.Chain.ProduceBlock();
        Assert.True(HeadTime < expiry);
        Assert.NotNull(_k.Queries.Order(Gold, EXT, 1));
        Assert.Equal(10 * GoldUnit, _k.Locked(1, Gold));

        _k.Chain.ProduceBlock();

        Assert.True(HeadTime >= expiry);
        Assert.Null(_k.Queries.Order(Gold, EXT, 1));
        Assert.Equal(UInt128.Zero, _k.Locked(1, Gold));
        Assert.Equal(GoldStart, _k.Balance(1, Gold));
        Assert.Equal(0, TimeIndexEntries);
        Assert.Contains(_k.Chain.Chain.GetBlockEvents(_k.Chain.Chain.Head.Height),
            e => e.Type == MarketsModule.Events.Order && e.Get("orderId") == "1" && e.Get("change") == "cancelled" && e.Get("reason") == "expired_at_time");
    }

    [Fact]
    public void An_expiry_time_not_after_the_blocks_time_is_refused_and_changes_nothing()
    {
        var nextBlockTime = HeadTime + 100;
        var receipt = _k.One(1, Limit(EXT, false, 2 * Ext, 10 * GoldUnit, expiryTimeMs: nextBlockTime));
        Assert.False(receipt.Success);
        Assert.Equal($"order refused: expired (expiry time {nextBlockTime} ms is not after the block time {nextBlockTime} ms)", receipt.Error);
        Assert.Equal(GoldStart, _k.Balance(1, Gold));
        Assert.Equal(UInt128.Zero, _k.Locked(1, Gold));
        Assert.Empty(_k.Queries.OpenOrders(Accounts[1]));
        Assert.Equal(0, TimeIndexEntries);
    }

    [Fact]
    public void The_expiry_time_stays_through_an_amend_a_partial_fill_and_a_restart_and_leaves_with_the_order()
    {
        var expiry = HeadTime + 100_000;
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 10 * GoldUnit, expiryTimeMs: expiry)).Success);
        Assert.True(_k.One(1, new AmendOrderPayload(Gold, EXT, 1, 3 * Ext, 8 * GoldUnit)).Success);
        Assert.True(_k.One(2, Limit(EXT, true, 3 * Ext, 3 * GoldUnit)).Success);
        Assert.Equal(5 * GoldUnit, _k.Queries.Order(Gold, EXT, 1)!.Value.RemainingSize);
        Assert.Equal(expiry, _k.Queries.ExpiryTime(Gold, EXT, 1));

        _k.Chain.Reopen();
        Assert.Equal(expiry, _k.Queries.ExpiryTime(Gold, EXT, 1));
        Assert.Equal(1, TimeIndexEntries);

        Assert.True(_k.One(2, Limit(EXT, true, 3 * Ext, 5 * GoldUnit)).Success); // fills the rest
        Assert.Null(_k.Queries.Order(Gold, EXT, 1));
        Assert.Equal(0ul, _k.Queries.ExpiryTime(Gold, EXT, 1));
        Assert.Equal(0, TimeIndexEntries);
    }

    [Fact]
    public void Orders_due_at_one_time_on_two_markets_all_expire_in_time_order()
    {
        var t = HeadTime + 150;
        var placed = _k.Block(
            _k.Sign(1, Limit(EXT, false, 2 * Ext, 10 * GoldUnit, expiryTimeMs: t + 10)),
            _k.Sign(1, Limit(Usd, false, 2 * GoldUnit, 10 * GoldUnit, expiryTimeMs: t)),
            _k.Sign(2, Limit(EXT, true, Ext, 10 * GoldUnit))); // no expiry: stays
        Assert.All(placed, r => Assert.True(r.Success, r.Error));
        Assert.Equal(2, _k.Queries.OpenOrders(Accounts[1]).Count);

        _k.Chain.ProduceBlock(); // at +200: both are due

        Assert.Empty(_k.Queries.OpenOrders(Accounts[1]));
        Assert.Single(_k.Queries.OpenOrders(Accounts[2]));
        var expired = _k.Chain.Chain.GetBlockEvents(_k.Chain.Chain.Head.Height)
            .Where(e => e.Get("reason") == "expired_at_time").Select(e => e.Get("market")).ToList();
        Assert.Equal(["GOLD/USD", "GOLD/EXT"], expired); // earliest expiry time first
        Assert.Equal(0, TimeIndexEntries);
    }
}
