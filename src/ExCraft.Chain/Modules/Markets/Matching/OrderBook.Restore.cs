namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// Rebuilding a book from stored state (the chain module keeps orders under state keys and
/// rebuilds its books when the node starts). The restored book matches exactly as the saved one
/// would: same priority, same locks, same counters.
/// </summary>
public sealed partial class OrderBook
{
    /// <summary>The sequence the next order (or priority-losing amend) gets; saved with the book.</summary>
    public ulong NextSequence => _nextSequence;

    /// <summary>
    /// A book with these open orders and counters. Throws if the state is inconsistent (duplicate
    /// ids or client ids, an id or sequence not below its counter, an immediate order, an amount
    /// off tick or lot, a lock smaller than the order needs), because then the stored state is corrupt.
    /// </summary>
    public static OrderBook Restore(MarketRules rules, IEnumerable<OrderView> orders, ulong firstOrderId, ulong nextOrderId,
        ulong nextSequence, UInt128 lastTradePrice)
    {
        var book = new OrderBook(rules, firstOrderId);
        if (nextOrderId < firstOrderId) throw new ArgumentException("next order id below the first order id");
        if (lastTradePrice % rules.TickSize != 0 || lastTradePrice / rules.TickSize > ulong.MaxValue) throw new ArgumentException("last trade price off tick");
        book.NextOrderId = nextOrderId;
        book._nextSequence = nextSequence;
        book._lastTradeTicks = (ulong)(lastTradePrice / rules.TickSize);
        var sequences = new HashSet<ulong>();
        // Side, then price, then sequence: appending in this order rebuilds each level oldest first.
        foreach (var view in orders.OrderBy(o => o.Side).ThenBy(o => o.Price).ThenBy(o => o.Sequence))
        {
            if (view.Id < firstOrderId || view.Id >= nextOrderId) throw new ArgumentException($"order {view.Id} outside the issued ids");
            if (view.Sequence == 0 || view.Sequence >= nextSequence || !sequences.Add(view.Sequence)) throw new ArgumentException($"order {view.Id} has a bad sequence");
            if (view.Price == 0 || view.Price % rules.TickSize != 0 || view.RemainingSize == 0 || view.RemainingSize % rules.LotSize != 0)
                throw new ArgumentException($"order {view.Id} is off tick or lot");
            if (view.Price / rules.TickSize > ulong.MaxValue || view.RemainingSize / rules.LotSize > ulong.MaxValue) throw new ArgumentException($"order {view.Id} is too large");
            if (view.Type != OrderType.Limit || view.TimeInForce is not (TimeInForce.GoodTillCancel or TimeInForce.PostOnly))
                throw new ArgumentException($"order {view.Id} cannot rest");
            if (view.Locked < book.LockFor(view.Side, view.Price, view.RemainingSize)) throw new ArgumentException($"order {view.Id} locks too little");
            if (book._orders.ContainsKey(view.Id)) throw new ArgumentException($"order {view.Id} twice");
            if (view.ClientOrderId != 0 && book._byClientId.ContainsKey((view.Account, view.ClientOrderId)))
                throw new ArgumentException($"client order id {view.ClientOrderId} twice for one account");
            var order = new RestingOrder
            {
                Id = view.Id,
                Account = view.Account,
                ClientOrderId = view.ClientOrderId,
                Side = view.Side,
                Type = view.Type,
                TimeInForce = view.TimeInForce,
                SelfTrade = view.SelfTrade,
                PriceTicks = (ulong)(view.Price / rules.TickSize),
                RemainingLots = (ulong)(view.RemainingSize / rules.LotSize),
                Locked = view.Locked,
                Sequence = view.Sequence,
                ExpiryHeight = view.ExpiryHeight,
            };
            (order.Side == Side.Buy ? book._bids : book._asks).GetOrAdd(order.PriceTicks).Append(order);
            book._orders.Add(order.Id, order);
            if (order.ClientOrderId != 0) book._byClientId.Add((order.Account, order.ClientOrderId), order);
            if (order.ExpiryHeight != 0) book._expiries.Add((order.ExpiryHeight, order.Id));
            book.LinkToAccount(order);
        }
        if (rules.Mode == MatchingMode.Continuous && book._bids.Best is { } bid && book._asks.Best is { } ask && bid.PriceTicks >= ask.PriceTicks)
            throw new ArgumentException("a continuous book cannot be stored crossed");
        return book;
    }
}
