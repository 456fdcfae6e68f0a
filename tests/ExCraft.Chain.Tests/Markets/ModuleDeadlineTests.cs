using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>The dead-man's switch (set_cancel_deadline) on a real chain: fires at its height on every market, can be pushed forward or switched off.</summary>
public sealed class ModuleDeadlineTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    private ulong Height => _k.Chain.Chain.Head.Height;

    private void EmptyBlocksUntil(ulong height)
    {
        for (var i = 0; i < 50 && Height < height; i++) _k.Chain.ProduceBlock();
        Assert.Equal(height, Height);
    }

    private void PlaceOnBothMarkets()
    {
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, GoldUnit)).Success);
        Assert.True(_k.One(1, Limit(Usd, true, 2 * GoldUnit, 3 * GoldUnit)).Success);
        Assert.Equal(2, _k.Queries.OpenOrders(Accounts[1]).Count);
    }

    [Fact]
    public void At_its_height_every_order_of_the_account_is_cancelled_and_the_funds_return()
    {
        PlaceOnBothMarkets();
        var deadline = Height + 4;
        Assert.True(_k.One(1, new SetCancelDeadlinePayload(deadline)).Success);
        EmptyBlocksUntil(deadline - 1);
        Assert.Equal(2, _k.Queries.OpenOrders(Accounts[1]).Count);

        _k.Chain.ProduceBlock();
        Assert.Empty(_k.Queries.OpenOrders(Accounts[1]));
        Assert.Equal(GoldStart, _k.Balance(1, Gold));
        Assert.Equal(UsdStart, _k.Balance(1, Usd));
        Assert.Equal(0ul, MarketsState.ReadDeadline(_k.Chain.Chain.State, Accounts[1]));
        Assert.Contains(_k.Chain.Chain.GetBlockEvents(deadline), e => e.Type == MarketsModule.Events.DeadlineFired && e.Get("account") == Accounts[1].ToString());
    }

    [Fact]
    public void Pushing_the_deadline_forward_or_switching_it_off_keeps_the_orders()
    {
        PlaceOnBothMarkets();
        var first = Height + 3;
        Assert.True(_k.One(1, new SetCancelDeadlinePayload(first)).Success);
        Assert.True(_k.One(1, new SetCancelDeadlinePayload(first + 5)).Success);
        EmptyBlocksUntil(first + 1);
        Assert.Equal(2, _k.Queries.OpenOrders(Accounts[1]).Count);

        Assert.True(_k.One(1, new SetCancelDeadlinePayload(0)).Success);
        EmptyBlocksUntil(first + 7);
        Assert.Equal(2, _k.Queries.OpenOrders(Accounts[1]).Count);
    }

    [Fact]
    public void A_deadline_not_above_the_current_block_is_refused()
    {
        var receipt = _k.One(1, new SetCancelDeadlinePayload(Height + 1)); // the transaction's own block
        Assert.False(receipt.Success);
        Assert.Contains("is not above the current block", receipt.Error);
        Assert.Equal(0ul, MarketsState.ReadDeadline(_k.Chain.Chain.State, Accounts[1]));
    }
}
