using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>batch_orders (kind 25) on a real chain: checked as a whole, applied in the block order, one bad item refuses all.</summary>
public sealed class ModuleBatchOrdersTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    private sealed record Holdings(UInt128 Ext, UInt128 Gold, UInt128 LockedGold, UInt128 LockedExt, string Orders);

    private Holdings Of(int account) => new(_k.Balance(account, EXT), _k.Balance(account, Gold), _k.Locked(account, Gold), _k.Locked(account, EXT),
        string.Join(",", _k.Queries.OpenOrders(Accounts[account]).Select(o => $"{o.Order.Id}:{o.Order.Price}:{o.Order.RemainingSize}")));

    [Fact]
    public void A_batch_cancels_first_so_an_earlier_taker_in_the_block_cannot_pick_off_the_old_quote()
    {
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 10 * GoldUnit)).Success); // order 1
        Assert.True(_k.One(1, Limit(EXT, true, Ext, 5 * GoldUnit)).Success); // order 2

        // The taker comes first in the block; the maker's batch moves both quotes.
        var receipts = _k.Block(
            _k.Sign(2, Limit(EXT, true, 2 * Ext, 10 * GoldUnit)),
            _k.Sign(1, new BatchOrdersPayload([
                new CancelOrderPayload(Gold, EXT, 1, 0),
                Limit(EXT, false, 3 * Ext, 10 * GoldUnit, clientId: 7),
                Limit(EXT, false, 5 * Ext / 2, 4 * GoldUnit, timeInForce: 3),
                new AmendOrderPayload(Gold, EXT, 2, Ext, 2 * GoldUnit),
            ])));

        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
        Assert.Empty(_k.Queries.Trades(Gold, EXT, 1, 10));
        // Order 1 cancelled; the post-only goes before every other place (order 3), then the taker (4), then the batch's place (5); order 2 shrank.
        Assert.Equal("2:1000000000000000000:2000000,3:2500000000000000000:4000000,5:3000000000000000000:10000000", Of(1).Orders);
        Assert.Equal(Accounts[2], _k.Queries.Order(Gold, EXT, 4)!.Value.Account);
        Assert.Equal(14 * GoldUnit, _k.Locked(1, Gold));
        Assert.Equal(2 * Ext, _k.Locked(1, EXT)); // 1 EXT x 2 GOLD
        Assert.Equal(GoldStart - 14 * GoldUnit, _k.Balance(1, Gold));
        Assert.Equal(TestChain.StartBalance - 3 * TestChain.MinFee - 2 * Ext, _k.Balance(1, EXT));
        // The taker's buy rests at 2 EXT under the new asks.
        Assert.Equal([new DepthLevel(2 * Ext, 10 * GoldUnit, 1), new DepthLevel(Ext, 2 * GoldUnit, 1)], _k.Queries.Depth(Gold, EXT, Side.Buy, 10));
        Assert.Equal(7ul, _k.Queries.Order(Gold, EXT, 5)!.Value.ClientOrderId);
    }

    [Fact]
    public void One_bad_item_refuses_the_whole_batch_and_only_the_fee_is_paid()
    {
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 10 * GoldUnit)).Success);
        var before = Of(1);

        var receipt = _k.One(1, new BatchOrdersPayload([
            new CancelOrderPayload(Gold, EXT, 1, 0),
            Limit(EXT, false, 3 * Ext, 10 * GoldUnit),
            Limit(EXT, false, 3 * Ext + 1, 10 * GoldUnit), // off tick
        ]));

        Assert.False(receipt.Success);
        Assert.Equal("batch item 2 (place_order): order refused: off_tick", receipt.Error);
        Assert.Equal(before with { Ext = before.Ext - TestChain.MinFee }, Of(1));
        Assert.DoesNotContain(_k.Chain.Chain.GetBlockEvents(_k.Chain.Chain.Head.Height), e => e.Type == MarketsModule.Events.Order);
    }

    [Fact]
    public void Funds_are_checked_across_the_items_together()
    {
        // Sent by an agent (account 3), whose actions the mempool does not count against account 1, so execution decides.
        Assert.True(_k.One(1, new AuthorizeAgentPayload(Accounts[3], 1_000)).Success);
        var before = Of(1);
        // 300 EXT and 600 EXT each fit the 1,000 EXT balance alone; with the third (300 EXT) they do not.
        var receipt = _k.One(3, new AgentActionPayload(Accounts[1], new BatchOrdersPayload([
            Limit(EXT, true, Ext, 300 * GoldUnit), Limit(EXT, true, 2 * Ext, 300 * GoldUnit), Limit(EXT, true, Ext, 300 * GoldUnit),
        ])));

        Assert.False(receipt.Success);
        Assert.StartsWith("batch item 2 (place_order): order refused: insufficient_funds", receipt.Error);
        Assert.Equal(before with { Ext = before.Ext - TestChain.MinFee }, Of(1));
    }

    [Fact]
    public void A_batch_declares_its_sells_and_priced_buys_as_mempool_spend()
    {
        // Buys of 300 EXT and 600 EXT and then 300 EXT: 1,200 EXT against 1,000.
        var buys = _k.Chain.Submit(_k.Chain.Sign(1, new BatchOrdersPayload([
            Limit(EXT, true, Ext, 300 * GoldUnit), Limit(EXT, true, 2 * Ext, 300 * GoldUnit), Limit(EXT, true, Ext, 300 * GoldUnit)]), 0));
        Assert.Equal(RejectReason.InsufficientFunds, buys.Reason);
        Assert.Contains("insufficient EXT balance", buys.Error);
        // Two sells of 600 GOLD each: together more than the 1,000 GOLD held, so the mempool turns the batch away.
        var result = _k.Chain.Submit(_k.Sign(1, new BatchOrdersPayload([Limit(EXT, false, 2 * Ext, 600 * GoldUnit), Limit(EXT, false, 3 * Ext, 600 * GoldUnit)])));
        Assert.False(result.Accepted);
        Assert.Equal(RejectReason.InsufficientFunds, result.Reason);
        Assert.Contains(Gold, result.Error);
    }

    [Fact]
    public void Malformed_batches_are_refused_before_the_mempool()
    {
        AssertMalformed(new BatchOrdersPayload([]), "a batch needs at least one item");
        AssertMalformed(new BatchOrdersPayload([.. Enumerable.Range(0, BatchOrdersPayload.MaxItems + 1).Select(i => (TxPayload)new CancelOrderPayload(Gold, EXT, (ulong)i + 1, 0))]),
            $"a batch has at most {BatchOrdersPayload.MaxItems} items, this one {BatchOrdersPayload.MaxItems + 1}");
        AssertMalformed(new BatchOrdersPayload([new CancelOrderPayload(Gold, EXT, 3, 0), new AmendOrderPayload(Gold, EXT, 3, Ext, GoldUnit)]),
            "batch changes order 3 on GOLD/EXT more than once");
        AssertMalformed(new BatchOrdersPayload([Limit(EXT, false, 2 * Ext, GoldUnit, clientId: 5), Limit(EXT, false, 3 * Ext, GoldUnit, clientId: 5)]),
            "batch places two orders with client order id 5 on GOLD/EXT");
        AssertMalformed(new BatchOrdersPayload([new CancelOrderPayload(Gold, EXT, 0, 0)]), "batch item 0 (cancel_order): cancel_order needs an order id or a client order id");
        Assert.Equal(TestChain.StartBalance, _k.Balance(1, EXT));
        Assert.Equal(0ul, _k.Chain.Nonce(Accounts[1]));
    }

    [Fact]
    public void A_batch_cannot_carry_other_kinds()
    {
        // Encoded by hand: a transfer inside a batch does not even decode.
        var transfer = new TransferPayload(Accounts[2], EXT, 1);
        var payload = Core.Encoding.Rlp.EncodeList(Core.Encoding.Rlp.EncodeList(Core.Encoding.Rlp.EncodeUInt((byte)TxKind.Transfer), transfer.Encode()));
        var error = Assert.Throws<Core.Encoding.RlpException>(() => TxPayloadCatalog.Decode(TxKind.BatchOrders, Core.Encoding.Rlp.Decode(payload)));
        Assert.Contains("only place_order, cancel_order and amend_order", error.Message);
    }

    private void AssertMalformed(TxPayload payload, string error)
    {
        var result = _k.Chain.Submit(_k.Chain.Sign(1, payload, 0));
        Assert.False(result.Accepted);
        Assert.Equal(RejectReason.Malformed, result.Reason);
        Assert.Equal(error, result.Error);
    }
}
