using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>A market_order event's typed value: the market ("BASE/QUOTE") and the engine's order change.</summary>
public sealed record MarketOrderDetail(string Market, OrderEvent Change) : IEventDetail
{
    public static ChainEvent Event(string market, OrderEvent change) => new(MarketsModule.Events.Order, new MarketOrderDetail(market, change));

    public void Describe(EventAttributeSink sink)
    {
        sink.Add("market", Market);
        sink.Add("change", MarketsText.Change(Change.Kind));
        sink.Add("orderId", Change.OrderId);
        sink.Add("account", Change.Account);
        sink.Add("clientOrderId", Change.ClientOrderId);
        sink.Add("side", MarketsText.Side(Change.Side));
        sink.Add("price", Change.Price);
        sink.Add("remaining", Change.RemainingSize);
        sink.Add("reason", MarketsText.Reason(Change.Reason));
        sink.Add("locked", Change.FundsLocked);
        sink.Add("released", Change.FundsReleased);
    }
}

/// <summary>A market_trade event's typed value: the market and the stored trade record.</summary>
public sealed record MarketTradeDetail(string Market, TradeRecord Trade) : IEventDetail
{
    public static ChainEvent Event(string market, TradeRecord trade) => new(MarketsModule.Events.Trade, new MarketTradeDetail(market, trade));

    public void Describe(EventAttributeSink sink)
    {
        sink.Add("market", Market);
        sink.Add("tradeId", Trade.Id);
        sink.Add("buyer", Trade.Buyer);
        sink.Add("seller", Trade.Seller);
        sink.Add("buyOrderId", Trade.BuyOrderId);
        sink.Add("sellOrderId", Trade.SellOrderId);
        sink.Add("takerSide", Trade.TakerIsBuyer ? "buy" : "sell");
        sink.Add("price", Trade.Price);
        sink.Add("baseAmount", Trade.BaseAmount);
        sink.Add("quoteAmount", Trade.QuoteAmount);
        sink.Add("buyerFee", Trade.BuyerFee);
        sink.Add("sellerFee", Trade.SellerFee);
    }
}

/// <summary>A market_order_queued event's typed value: what a place transaction reserved until the block's end.</summary>
public sealed record OrderQueuedDetail(string Market, Address Account, ulong ClientOrderId, string Asset, UInt128 Reserved) : IEventDetail
{
    public void Describe(EventAttributeSink sink)
    {
        sink.Add("market", Market);
        sink.Add("account", Account);
        sink.Add("clientOrderId", ClientOrderId);
        sink.Add("asset", Asset);
        sink.Add("reserved", Reserved);
    }
}
