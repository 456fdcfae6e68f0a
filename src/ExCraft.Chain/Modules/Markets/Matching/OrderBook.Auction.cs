namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// Batch-auction mode: orders only rest during a block; at the block's end <see cref="RunAuction"/>
/// clears every crossing order at one uniform price, so where an order sits inside the block
/// gains nothing.
/// </summary>
public sealed partial class OrderBook
{
    // Immediate (IOC and market) orders placed since the last auction, cancelled after it if still open.
    private readonly List<RestingOrder> _auctionImmediates = [];

    /// <summary>
    /// Clears the book at one price (batch mode; does nothing in continuous mode). The price is the
    /// one, among the crossing orders' limit prices, that executes the most volume; ties go to the
    /// smallest imbalance between demand and supply at that price, then to the price nearest the
    /// last trade price, then to the lower price. Orders fill in price-time priority; in each pair
    /// the older order (lower sequence) is the maker. Returns the clearing price, or 0 if nothing crossed.
    /// </summary>
    public UInt128 RunAuction(MatchOutput output)
    {
        if (Rules.Mode != MatchingMode.BatchAuction) return 0;
        UInt128 clearedAt = 0;
        // Each pass either executes (and ends) or cancels at least one order, so this ends.
        while (TryFindClearingPrice(out var priceTicks, out var volume))
        {
            var conflict = PlanAuction(priceTicks, volume, out var reason);
            if (conflict.Count == 0)
            {
                ExecuteAuction(priceTicks, volume, output);
                clearedAt = priceTicks * Rules.TickSize;
                break;
            }
            foreach (var order in conflict) Close(order, OrderEventKind.Cancelled, reason, output);
        }
        foreach (var order in _auctionImmediates)
        {
            if (order.Level is not null) Close(order, OrderEventKind.Cancelled, OrderReason.UnfilledRemainder, output);
        }
        _auctionImmediates.Clear();
        return clearedAt;
    }

    private bool TryFindClearingPrice(out ulong priceTicks, out UInt128 volume)
    {
        priceTicks = 0;
        volume = 0;
        if (_bids.Best is not { } bestBid || _asks.Best is not { } bestAsk || bestBid.PriceTicks < bestAsk.PriceTicks) return false;

        // Candidates: every level price inside the crossing range [best ask, best bid].
        var candidates = new List<ulong>();
        for (var rank = 0; rank < _bids.LevelCount && _bids.LevelFromBest(rank).PriceTicks >= bestAsk.PriceTicks; rank++)
            candidates.Add(_bids.LevelFromBest(rank).PriceTicks);
        for (var rank = 0; rank < _asks.LevelCount && _asks.LevelFromBest(rank).PriceTicks <= bestBid.PriceTicks; rank++)
            candidates.Add(_asks.LevelFromBest(rank).PriceTicks);
        candidates.Sort();

        // demand[i]: lots bid at candidates[i] or higher; supply[i]: lots offered at candidates[i] or lower.
        var demand = new UInt128[candidates.Count];
        var supply = new UInt128[candidates.Count];
        UInt128 cumulative = 0;
        var bidRank = 0;
        for (var i = candidates.Count - 1; i >= 0; i--)
        {
            while (bidRank < _bids.LevelCount && _bids.LevelFromBest(bidRank).PriceTicks >= candidates[i]) cumulative += _bids.LevelFromBest(bidRank++).TotalLots;
            demand[i] = cumulative;
        }
        cumulative = 0;
        var askRank = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            while (askRank < _asks.LevelCount && _asks.LevelFromBest(askRank).PriceTicks <= candidates[i]) cumulative += _asks.LevelFromBest(askRank++).TotalLots;
            supply[i] = cumulative;
        }

        var best = -1;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (best >= 0 && candidates[i] == candidates[best]) continue;
            if (best < 0 || IsBetterClearing(candidates[i], demand[i], supply[i], candidates[best], demand[best], supply[best])) best = i;
        }
        priceTicks = candidates[best];
        volume = UInt128.Min(demand[best], supply[best]);
        return volume > 0;
    }

    private bool IsBetterClearing(ulong price, UInt128 demand, UInt128 supply, ulong bestPrice, UInt128 bestDemand, UInt128 bestSupply)
    {
        var volume = UInt128.Min(demand, supply);
        var bestVolume = UInt128.Min(bestDemand, bestSupply);
        if (volume != bestVolume) return volume > bestVolume;
        var imbalance = demand > supply ? demand - supply : supply - demand;
        var bestImbalance = bestDemand > bestSupply ? bestDemand - bestSupply : bestSupply - bestDemand;
        if (imbalance != bestImbalance) return imbalance < bestImbalance;
        if (_lastTradeTicks != 0)
        {
            var distance = Distance(price, _lastTradeTicks);
            var bestDistance = Distance(bestPrice, _lastTradeTicks);
            if (distance != bestDistance) return distance < bestDistance;
        }
        return price < bestPrice;
    }

    private static ulong Distance(ulong a, ulong b) => a > b ? a - b : b - a;

    /// <summary>
    /// Walks the pairs the auction would trade, changing nothing. Returns the orders to cancel
    /// before trying again if a pair is a self-trade (by the newer order's prevention mode) or a
    /// pair's quote would round to zero (the order limiting that pair); an empty list if all is clean.
    /// </summary>
    private List<RestingOrder> PlanAuction(ulong priceTicks, UInt128 volume, out OrderReason reason)
    {
        reason = OrderReason.None;
        var price = priceTicks * Rules.TickSize;
        var buys = new PriorityWalk(_bids);
        var sells = new PriorityWalk(_asks);
        while (volume > 0)
        {
            var buy = buys.Current;
            var sell = sells.Current;
            var lots = (ulong)UInt128.Min(Math.Min(buys.Remaining, sells.Remaining), volume);
            if (buy.Account == sell.Account)
            {
                reason = OrderReason.SelfTrade;
                var (older, newer) = buy.Sequence < sell.Sequence ? (buy, sell) : (sell, buy);
                return newer.SelfTrade switch
                {
                    SelfTradePrevention.CancelResting => [older],
                    SelfTradePrevention.CancelIncoming => [newer],
                    _ => [older, newer],
                };
            }
            if (QuoteMath.Quote(price, lots * Rules.LotSize, Rules.PriceScale) == 0)
            {
                reason = OrderReason.RoundsToZero;
                var limiting = buys.Remaining == lots ? buy : sells.Remaining == lots ? sell : (buy.Sequence > sell.Sequence ? buy : sell);
                return [limiting];
            }
            buys.Take(lots);
            sells.Take(lots);
            volume -= lots;
        }
        return [];
    }

    private void ExecuteAuction(ulong priceTicks, UInt128 volume, MatchOutput output)
    {
        var price = priceTicks * Rules.TickSize;
        RestingOrder? lastBuy = null, lastSell = null;
        while (volume > 0)
        {
            var buy = _bids.Best!.Head!;
            var sell = _asks.Best!.Head!;
            var lots = (ulong)UInt128.Min(Math.Min(buy.RemainingLots, sell.RemainingLots), volume);
            var baseAmount = lots * Rules.LotSize;
            var quoteAmount = QuoteMath.Quote(price, baseAmount, Rules.PriceScale);
            var (maker, taker) = buy.Sequence < sell.Sequence ? (buy, sell) : (sell, buy);
            ExecuteFill(maker, taker, lots, price, baseAmount, quoteAmount, output);
            volume -= lots;
            if (buy.RemainingLots == 0) Close(buy, OrderEventKind.Filled, OrderReason.None, output);
            if (sell.RemainingLots == 0) Close(sell, OrderEventKind.Filled, OrderReason.None, output);
            lastBuy = buy;
            lastSell = sell;
        }
        // At most the last buy and the last sell are left partly filled.
        if (lastBuy is { Level: not null }) AfterPartialFill(lastBuy, output);
        if (lastSell is { Level: not null }) AfterPartialFill(lastSell, output);
    }

    /// <summary>A read-only cursor over one side's orders in priority order with a virtual remaining size.</summary>
    private struct PriorityWalk(BookSide side)
    {
        private int _rank;
        private RestingOrder _current = side.Best!.Head!;
        private ulong _taken;

        public readonly RestingOrder Current => _current;
        public readonly ulong Remaining => _current.RemainingLots - _taken;

        public void Take(ulong lots)
        {
            _taken += lots;
            if (_taken < _current.RemainingLots) return;
            _taken = 0;
            if (_current.Next is { } next) { _current = next; return; }
            _rank++;
            if (_rank < side.LevelCount) _current = side.LevelFromBest(_rank).Head!;
        }
    }
}
