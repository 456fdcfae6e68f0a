using ExCraft.Chain.Modules.Markets.Matching;
using static ExCraft.Chain.Tests.Markets.MarketTestKit;

namespace ExCraft.Chain.Tests.Markets;

public class BlockOrderingTests
{
    private sealed record Op(string Name, MarketOperationClass Class);

    [Fact]
    public void Cancels_come_first_then_post_only_places_then_the_rest_each_in_block_order()
    {
        var block = new[]
        {
            new Op("take1", MarketOperationClass.Other),
            new Op("post1", MarketOperationClass.PostOnlyPlace),
            new Op("cancel1", MarketOperationClass.Cancel),
            new Op("amend1", MarketOperationClass.Other),
            new Op("cancel2", MarketOperationClass.Cancel),
            new Op("post2", MarketOperationClass.PostOnlyPlace),
        };
        var ordered = BlockOrdering.Order(block, op => op.Class);
        Assert.Equal(["cancel1", "cancel2", "post1", "post2", "take1", "amend1"], ordered.Select(op => op.Name));
        Assert.Equal("take1", block[0].Name); // input untouched
        Assert.Throws<ArgumentException>(() => BlockOrdering.Order(block, _ => (MarketOperationClass)9));
    }

    [Fact]
    public void A_makers_cancel_sent_after_a_taker_in_the_same_block_still_lands_first()
    {
        var desk = new TradingDesk(Plain());
        var quote = desk.Rest(Alice, Side.Sell, 100, 10);
        // Block order as sent: Bob's taker first, Alice's cancel second.
        var block = new (MarketOperationClass Class, Action Apply)[]
        {
            (MarketOperationClass.Other, () => desk.Place(OrderRequest.Limit(Bob, Side.Buy, 100, 10, TimeInForce.ImmediateOrCancel))),
            (MarketOperationClass.Cancel, () => Assert.Equal(OrderReason.None, desk.Cancel(Alice, quote))),
        };
        var fills = 0;
        foreach (var op in BlockOrdering.Order(block, op => op.Class))
        {
            op.Apply();
            fills += desk.Last.Fills.Count;
        }
        Assert.Equal(0, fills);
        Assert.Equal(0, desk.Book.OpenOrderCount);
        desk.AssertBalanced();
    }
}
