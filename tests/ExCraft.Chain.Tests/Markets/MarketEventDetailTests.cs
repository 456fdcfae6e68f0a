using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// The markets module writes its order, trade and queued events from typed values. Receipts, the
/// app hash and every client must see no difference from the text form those events had: the same
/// attributes in the same order with the same text, the same RLP bytes, and the same accounts
/// named. The text form is spelled out here attribute by attribute, as the module used to build it.
/// </summary>
public sealed class MarketEventDetailTests
{
    private static readonly UInt128[] Amounts = [0, 1, 9, 10, 127, 128, 1_000_000, ulong.MaxValue, (UInt128)ulong.MaxValue + 1, UInt128.MaxValue];

    [Fact]
    public void Order_events_match_their_text_form()
    {
        var random = new Random(11);
        foreach (var kind in Enum.GetValues<OrderEventKind>())
        foreach (var reason in Enum.GetValues<OrderReason>())
        {
            var change = new OrderEvent(kind, Pick(random), TestChain.RandomAddress(random), Pick(random), random.Next(2) == 0 ? Side.Buy : Side.Sell,
                Amount(random), Amount(random), reason, Amount(random), Amount(random));
            var text = ChainEvent.Of(MarketsModule.Events.Order, ("market", "ORE/EXT"), ("change", MarketsText.Change(change.Kind)),
                ("orderId", change.OrderId.ToString()), ("account", change.Account.ToString()), ("clientOrderId", change.ClientOrderId.ToString()),
                ("side", MarketsText.Side(change.Side)), ("price", ChainEvent.Units(change.Price)), ("remaining", ChainEvent.Units(change.RemainingSize)),
                ("reason", MarketsText.Reason(change.Reason)), ("locked", ChainEvent.Units(change.FundsLocked)), ("released", ChainEvent.Units(change.FundsReleased)));

            AssertSame(text, MarketOrderDetail.Event("ORE/EXT", change));
        }
    }

    [Fact]
    public void Trade_events_match_their_text_form()
    {
        var random = new Random(12);
        for (var i = 0; i < 200; i++)
        {
            var trade = new TradeRecord(Pick(random), Pick(random), TestChain.RandomAddress(random), TestChain.RandomAddress(random), Pick(random), Pick(random), random.Next(2) == 0,
                Amount(random), Amount(random), Amount(random), Amount(random), Amount(random));
            var text = ChainEvent.Of(MarketsModule.Events.Trade, ("market", "GOLD/USD"), ("tradeId", trade.Id.ToString()),
                ("buyer", trade.Buyer.ToString()), ("seller", trade.Seller.ToString()), ("buyOrderId", trade.BuyOrderId.ToString()),
                ("sellOrderId", trade.SellOrderId.ToString()), ("takerSide", trade.TakerIsBuyer ? "buy" : "sell"), ("price", ChainEvent.Units(trade.Price)),
                ("baseAmount", ChainEvent.Units(trade.BaseAmount)), ("quoteAmount", ChainEvent.Units(trade.QuoteAmount)),
                ("buyerFee", ChainEvent.Units(trade.BuyerFee)), ("sellerFee", ChainEvent.Units(trade.SellerFee)));

            AssertSame(text, MarketTradeDetail.Event("GOLD/USD", trade));
        }
    }

    [Fact]
    public void Queued_events_match_their_text_form()
    {
        var random = new Random(13);
        for (var i = 0; i < 50; i++)
        {
            var (account, clientOrderId, reserved) = (TestChain.RandomAddress(random), Pick(random), Amount(random));
            var text = ChainEvent.Of(MarketsModule.Events.OrderQueued, ("market", "ORE/EXT"), ("account", account.ToString()),
                ("clientOrderId", clientOrderId.ToString()), ("asset", "EXT"), ("reserved", ChainEvent.Units(reserved)));

            AssertSame(text, new ChainEvent(MarketsModule.Events.OrderQueued, new OrderQueuedDetail("ORE/EXT", account, clientOrderId, "EXT", reserved)));
        }
    }

    private static void AssertSame(ChainEvent text, ChainEvent typed)
    {
        // Bytes first, while the typed event has made no text (its encoding must not need any).
        Assert.Equal(text.Encode(), typed.Encode());
        var (fromText, fromTyped) = (new HashSet<Address>(), new HashSet<Address>());
        text.AddNamedAccounts(fromText);
        typed.AddNamedAccounts(fromTyped);
        Assert.Equal(fromText.Order(), fromTyped.Order());
        Assert.Equal(text.Attributes, typed.Attributes);
        Assert.Equal(text.Encode(), typed.Encode()); // and the same once its text exists
    }

    private static ulong Pick(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => (ulong)random.Next(1, 10),
        2 => ulong.MaxValue,
        _ => (ulong)random.NextInt64(),
    };

    private static UInt128 Amount(Random random) => Amounts[random.Next(Amounts.Length)];
}
