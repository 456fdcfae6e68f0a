using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// The mempool's market limits (docs/markets.md, "Mempool limits"): pending order transactions per
/// account, orders per account per block, cancels ahead of every other account head in a block, and
/// a cancel that finds the pool full evicting a new order.
/// </summary>
public sealed class MempoolMarketLimitsTests
{
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    private static List<string> Hashes(params Transaction[] txs) => txs.Select(t => Hex.Encode(t.Hash)).ToList();

    private static PlaceOrderPayload Sell(int i) => Limit(EXT, false, (2 + (UInt128)i) * Ext, GoldUnit);

    [Fact]
    public void Pending_orders_per_account_are_capped_but_cancels_are_still_admitted()
    {
        using var k = new ModuleTestKit(mempool: new MempoolOptions(MaxPendingOrdersPerAccount: 3));
        for (var i = 0; i < 3; i++) Assert.True(k.Chain.Submit(k.Sign(1, Sell(i))).Accepted);

        var fourth = k.Chain.Submit(k.Chain.Sign(1, Sell(3), 3));
        Assert.False(fourth.Accepted);
        Assert.Equal(RejectReason.MempoolFull, fourth.Reason);
        Assert.Equal($"account {Accounts[1]} already has 3 pending order transactions (the limit); cancels are still admitted", fourth.Error);
        // An amend and a batch with a place count as orders too; a batch of cancels does not.
        Assert.Equal(RejectReason.MempoolFull, k.Chain.Submit(k.Chain.Sign(1, new AmendOrderPayload(Gold, EXT, 1, Ext, GoldUnit), 3)).Reason);
        Assert.Equal(RejectReason.MempoolFull, k.Chain.Submit(k.Chain.Sign(1, new BatchOrdersPayload([new CancelOrderPayload(Gold, EXT, 1, 0), Sell(4)]), 3)).Reason);
        Assert.True(k.Chain.Submit(k.Sign(1, new BatchOrdersPayload([new CancelOrderPayload(Gold, EXT, 1, 0)]))).Accepted);
        Assert.True(k.Chain.Submit(k.Sign(1, new CancelAllPayload("", ""))).Accepted);
        // Another account has its own allowance.
        Assert.True(k.Chain.Submit(k.Sign(2, Sell(0))).Accepted);
        Assert.Equal(6, k.Chain.Mempool.Count);

        var receipts = k.Chain.ProduceBlock().Receipts;
        Assert.Equal(6, receipts.Count);
        Assert.Equal(0, k.Chain.Mempool.Count);
        // Once the block took them, the account may queue orders again.
        Assert.True(k.Chain.Submit(k.Sign(1, Sell(5))).Accepted);
    }

    [Fact]
    public void A_block_takes_a_capped_number_of_an_accounts_orders_and_the_rest_wait()
    {
        using var k = new ModuleTestKit(mempool: new MempoolOptions(MaxOrdersPerAccountPerBlock: 2));
        var mine = Enumerable.Range(0, 3).Select(i => k.Sign(1, Sell(i))).ToList();
        mine.Add(k.Sign(1, new CancelAllPayload("", "")));
        var other = k.Sign(2, Sell(0));
        foreach (var tx in mine.Append(other)) Assert.True(k.Chain.Submit(tx).Accepted);

        var first = k.Chain.ProduceBlock().Receipts;
        Assert.Equal(Hashes(mine[0], mine[1], other), first.Select(r => Hex.Encode(r.TransactionHash)).OrderBy(h => h == Hex.Encode(other.Hash)).ToList());
        Assert.All(first, r => Assert.True(r.Success, r.Error));

        var second = k.Chain.ProduceBlock().Receipts;
        Assert.Equal(Hashes(mine[2], mine[3]), second.Select(r => Hex.Encode(r.TransactionHash)).ToList());
        Assert.Equal(0, k.Chain.Mempool.Count);
    }

    [Fact]
    public void Cancels_go_into_a_block_ahead_of_better_paying_orders_and_transfers()
    {
        using var k = new ModuleTestKit();
        var order = k.Sign(2, Sell(0), fee: 10 * TestChain.MinFee);
        var transfer = k.Sign(3, new TransferPayload(Accounts[0], EXT, Ext), fee: 5 * TestChain.MinFee);
        var cancel = k.Sign(1, new CancelAllPayload("", ""));
        foreach (var tx in new[] { order, transfer, cancel }) Assert.True(k.Chain.Submit(tx).Accepted);

        Assert.Equal(Hashes(cancel, order, transfer), k.Chain.Mempool.SelectForBlock(10, 1 << 20).Select(e => Hex.Encode(e.Transaction.Hash)).ToList());
        Assert.Equal(Hashes(cancel, order, transfer), k.Chain.ProduceBlock().Receipts.Select(r => Hex.Encode(r.TransactionHash)).ToList());
    }

    [Fact]
    public void A_cancel_that_finds_the_pool_full_evicts_a_new_order_whatever_it_pays()
    {
        using var k = new ModuleTestKit(mempool: new MempoolOptions(MaxTransactions: 3));
        var transfer = k.Sign(0, new TransferPayload(Accounts[1], EXT, Ext), fee: 5 * TestChain.MinFee);
        var order2 = k.Sign(2, Sell(0), fee: 5 * TestChain.MinFee);
        var order3 = k.Sign(3, Sell(1), fee: 5 * TestChain.MinFee);
        foreach (var tx in new[] { transfer, order2, order3 }) Assert.True(k.Chain.Submit(tx).Accepted);

        var cheapTransfer = k.Chain.Submit(k.Chain.Sign(1, new TransferPayload(Accounts[0], EXT, Ext), 0));
        Assert.Equal(RejectReason.MempoolFull, cheapTransfer.Reason);

        var cancel = k.Sign(1, new CancelAllPayload("", ""));
        Assert.True(k.Chain.Submit(cancel).Accepted);
        Assert.Equal(3, k.Chain.Mempool.Count);
        Assert.True(k.Chain.Mempool.Contains(cancel.Hash));
        Assert.True(k.Chain.Mempool.Contains(transfer.Hash)); // not an order: never evicted for a cancel
        Assert.True(k.Chain.Mempool.Contains(order2.Hash)); // among equal fees the newest order goes first
        Assert.False(k.Chain.Mempool.Contains(order3.Hash));
    }

    [Fact]
    public void Transactions_are_sorted_into_market_classes()
    {
        Assert.Equal(MarketTrafficClass.Order, MarketTraffic.Of(Sell(0)));
        Assert.Equal(MarketTrafficClass.Order, MarketTraffic.Of(new AmendOrderPayload(Gold, EXT, 1, Ext, GoldUnit)));
        Assert.Equal(MarketTrafficClass.Cancel, MarketTraffic.Of(new CancelOrderPayload(Gold, EXT, 1, 0)));
        Assert.Equal(MarketTrafficClass.Cancel, MarketTraffic.Of(new SetCancelDeadlinePayload(9)));
        Assert.Equal(MarketTrafficClass.Cancel, MarketTraffic.Of(new AgentActionPayload(Accounts[1], new CancelAllPayload("", ""))));
        Assert.Equal(MarketTrafficClass.Order, MarketTraffic.Of(new AgentActionPayload(Accounts[1], new BatchOrdersPayload([new CancelOrderPayload(Gold, EXT, 1, 0), Sell(0)]))));
        Assert.Equal(MarketTrafficClass.None, MarketTraffic.Of(new TransferPayload(Accounts[1], EXT, 1)));
    }
}
