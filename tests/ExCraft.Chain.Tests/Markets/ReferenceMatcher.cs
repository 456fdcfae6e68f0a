using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// A deliberately naive continuous-mode matcher for the property test: one flat list of orders,
/// amounts in base units, the best maker found by sorting the whole list every time, fill-or-kill
/// decided by trying on a copy. Slow and obviously following docs/markets.md; the engine must
/// agree with it on every fill, every refusal, every closed order and the final book.
/// </summary>
internal sealed class ReferenceMatcher(MarketRules rules)
{
    internal sealed class Order
    {
        public ulong Id;
        public Address Account;
        public ulong ClientOrderId;
        public Side Side;
        public bool Immediate;
        public bool PostOnly;
        public bool Budget;
        public SelfTradePrevention SelfTrade;
        public UInt128 Price;
        public UInt128 Remaining;
        public UInt128 Locked;
        public ulong Sequence;
        public ulong Expiry;

        public Order Copy() => (Order)MemberwiseClone();
    }

    private List<Order> _book = [];
    private ulong _nextId = 1;
    private ulong _nextSequence = 1;

    public List<Fill> Fills { get; } = [];
    /// <summary>(order id, Filled or Cancelled, reason) of every order that closed after being accepted.</summary>
    public List<(ulong Id, OrderEventKind Kind, OrderReason Reason)> Closed { get; } = [];

    public IEnumerable<Order> BookInPriority(Side side) => _book.Where(o => o.Side == side).OrderBy(o => side == Side.Buy ? UInt128.MaxValue - o.Price : o.Price).ThenBy(o => o.Sequence);

    private UInt128 MinNotional => rules.MinNotional == 0 ? 1 : rules.MinNotional;
    private UInt128 Quote(UInt128 price, UInt128 size) => price * size / rules.PriceScale;

    public PlaceResult Place(OrderRequest r, ulong height, UInt128 available)
    {
        UInt128 lockAmount;
        var budget = r.Type == OrderType.Market && r.QuoteBudget != 0;
        if (budget)
        {
            if (r.Side != Side.Buy || r.Size != 0 || r.Price != 0) return Reject(OrderReason.InvalidOrder);
            if (r.QuoteBudget < MinNotional) return Reject(OrderReason.BelowMinNotional);
            lockAmount = r.QuoteBudget;
        }
        else
        {
            if (r.QuoteBudget != 0) return Reject(OrderReason.InvalidOrder);
            var check = CheckPriceAndSize(r.Price, r.Size);
            if (check != OrderReason.None) return Reject(check);
            lockAmount = r.Side == Side.Buy ? Quote(r.Price, r.Size) : r.Size;
        }
        if (r.ExpiryHeight != 0 && r.ExpiryHeight <= height) return Reject(OrderReason.Expired);
        if (r.ClientOrderId != 0 && _book.Any(o => o.Account == r.Account && o.ClientOrderId == r.ClientOrderId)) return Reject(OrderReason.DuplicateClientOrderId);
        if (lockAmount > available) return Reject(OrderReason.InsufficientFunds);

        var order = new Order
        {
            Id = _nextId, Account = r.Account, ClientOrderId = r.ClientOrderId, Side = r.Side,
            Immediate = r.Type == OrderType.Market || r.TimeInForce is TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill,
            PostOnly = r.Type == OrderType.Limit && r.TimeInForce == TimeInForce.PostOnly,
            Budget = budget, SelfTrade = r.SelfTrade, Price = r.Price, Remaining = r.Size, Locked = lockAmount,
            Sequence = _nextSequence, Expiry = r.ExpiryHeight,
        };
        if (order.PostOnly && Crossing(order).Any()) return Reject(OrderReason.PostOnlyWouldCross);
        if (r.Type == OrderType.Limit && r.TimeInForce == TimeInForce.FillOrKill && !FillsCompletelyOnACopy(order))
            return Reject(OrderReason.FillOrKillNotFillable);

        _nextId++;
        _nextSequence++;
        MatchAndFinish(order, Fills, Closed);
        return new PlaceResult(order.Id, OrderReason.None);
    }

    public OrderReason Cancel(Address account, ulong id)
    {
        var order = _book.FirstOrDefault(o => o.Id == id);
        if (order is null) return id < _nextId ? OrderReason.OrderNotOpen : OrderReason.UnknownOrder;
        if (order.Account != account) return OrderReason.NotOwner;
        Close(order, OrderEventKind.Cancelled, OrderReason.CancelledByOwner, Closed);
        return OrderReason.None;
    }

    public OrderReason CancelByClientOrderId(Address account, ulong clientOrderId)
    {
        var order = _book.FirstOrDefault(o => o.Account == account && o.ClientOrderId == clientOrderId && clientOrderId != 0);
        if (order is null) return OrderReason.UnknownOrder;
        Close(order, OrderEventKind.Cancelled, OrderReason.CancelledByOwner, Closed);
        return OrderReason.None;
    }

    public int CancelAll(Address account)
    {
        var mine = _book.Where(o => o.Account == account).OrderBy(o => o.Id).ToList();
        foreach (var order in mine) Close(order, OrderEventKind.Cancelled, OrderReason.CancelAll, Closed);
        return mine.Count;
    }

    public int Expire(ulong height)
    {
        var due = _book.Where(o => o.Expiry != 0 && o.Expiry <= height).OrderBy(o => o.Expiry).ThenBy(o => o.Id).ToList();
        foreach (var order in due) Close(order, OrderEventKind.Cancelled, OrderReason.ExpiredAtHeight, Closed);
        return due.Count;
    }

    public OrderReason Amend(Address account, ulong id, UInt128 price, UInt128 size, UInt128 available)
    {
        var order = _book.FirstOrDefault(o => o.Id == id);
        if (order is null) return id < _nextId ? OrderReason.OrderNotOpen : OrderReason.UnknownOrder;
        if (order.Account != account) return OrderReason.NotOwner;
        var check = CheckPriceAndSize(price, size);
        if (check != OrderReason.None) return check;
        if (price == order.Price && size == order.Remaining) return OrderReason.AmendUnchanged;
        var required = order.Side == Side.Buy ? Quote(price, size) : size;
        if (required > order.Locked && required - order.Locked > available) return OrderReason.InsufficientFunds;
        var moved = order.Copy();
        moved.Price = price;
        var crosses = Crossing(moved).Any();
        if (crosses && order.PostOnly) return OrderReason.PostOnlyWouldCross;

        order.Locked = required;
        if (price == order.Price && size < order.Remaining)
        {
            order.Remaining = size;
            return OrderReason.None;
        }
        order.Price = price;
        order.Remaining = size;
        order.Sequence = _nextSequence++;
        if (crosses)
        {
            _book.Remove(order);
            MatchAndFinish(order, Fills, Closed);
        }
        return OrderReason.None;
    }

    private OrderReason CheckPriceAndSize(UInt128 price, UInt128 size)
    {
        if (size == 0) return OrderReason.ZeroSize;
        if (price == 0) return OrderReason.ZeroPrice;
        if (price % rules.TickSize != 0) return OrderReason.OffTick;
        if (size % rules.LotSize != 0) return OrderReason.OffLot;
        if (Quote(price, size) < MinNotional) return OrderReason.BelowMinNotional;
        return OrderReason.None;
    }

    private static PlaceResult Reject(OrderReason reason) => new(0, reason);

    private bool Crosses(Order taker, Order maker) =>
        taker.Budget || (taker.Side == Side.Buy ? maker.Price <= taker.Price : maker.Price >= taker.Price);

    private IEnumerable<Order> Crossing(Order taker) =>
        BookInPriority(taker.Side == Side.Buy ? Side.Sell : Side.Buy).Where(m => Crosses(taker, m));

    private bool FillsCompletelyOnACopy(Order taker)
    {
        var saved = _book;
        _book = saved.Select(o => o.Copy()).ToList();
        var copy = taker.Copy();
        MatchAndFinish(copy, [], [], restAllowed: false);
        var filled = copy.Remaining == 0;
        _book = saved;
        return filled;
    }

    private void MatchAndFinish(Order taker, List<Fill> fills, List<(ulong, OrderEventKind, OrderReason)> closed, bool restAllowed = true)
    {
        OrderReason stop = OrderReason.None;
        var budgetSpent = false;
        var traded = false;
        while (taker.Budget || taker.Remaining > 0)
        {
            var maker = Crossing(taker).FirstOrDefault();
            if (maker is null) break;
            if (maker.Account == taker.Account)
            {
                if (taker.SelfTrade != SelfTradePrevention.CancelIncoming) Close(maker, OrderEventKind.Cancelled, OrderReason.SelfTrade, closed);
                if (taker.SelfTrade == SelfTradePrevention.CancelResting) continue;
                stop = OrderReason.SelfTrade;
                break;
            }
            UInt128 size;
            if (taker.Budget)
            {
                // Largest whole number of lots whose rounded-down quote fits the budget, counted one lot at a time.
                size = 0;
                while (size < maker.Remaining && Quote(maker.Price, size + rules.LotSize) <= taker.Locked) size += rules.LotSize;
                if (size == 0) { budgetSpent = true; break; }
            }
            else size = UInt128.Min(taker.Remaining, maker.Remaining);
            var quote = Quote(maker.Price, size);
            if (quote == 0) { stop = OrderReason.RoundsToZero; break; }

            var takerBuys = taker.Side == Side.Buy;
            (takerBuys ? taker : maker).Locked -= quote;
            (takerBuys ? maker : taker).Locked -= size;
            maker.Remaining -= size;
            if (!taker.Budget) taker.Remaining -= size;
            traded = true;
            fills.Add(new Fill(maker.Id, taker.Id, maker.Account, taker.Account, taker.Side, maker.Price, size, quote,
                QuoteMath.Fee(takerBuys ? quote : size, rules.MakerFeePpm), QuoteMath.Fee(takerBuys ? size : quote, rules.TakerFeePpm)));
            if (maker.Remaining == 0) Close(maker, OrderEventKind.Filled, OrderReason.None, closed);
            else if (Quote(maker.Price, maker.Remaining) == 0) Close(maker, OrderEventKind.Cancelled, OrderReason.RoundsToZero, closed);
        }

        if (taker.Budget)
        {
            if (budgetSpent && traded) closed.Add((taker.Id, OrderEventKind.Filled, OrderReason.None));
            else closed.Add((taker.Id, OrderEventKind.Cancelled, stop == OrderReason.None ? OrderReason.UnfilledRemainder : stop));
        }
        else if (taker.Remaining == 0) closed.Add((taker.Id, OrderEventKind.Filled, OrderReason.None));
        else if (stop != OrderReason.None) closed.Add((taker.Id, OrderEventKind.Cancelled, stop));
        else if (taker.Immediate || !restAllowed) closed.Add((taker.Id, OrderEventKind.Cancelled, OrderReason.UnfilledRemainder));
        else if (Quote(taker.Price, taker.Remaining) == 0) closed.Add((taker.Id, OrderEventKind.Cancelled, OrderReason.RoundsToZero));
        else
        {
            if (taker.Side == Side.Buy) taker.Locked = UInt128.Min(taker.Locked, Quote(taker.Price, taker.Remaining));
            _book.Add(taker);
        }
        if (taker.Remaining == 0 || !_book.Contains(taker)) taker.Locked = 0;
    }

    private void Close(Order order, OrderEventKind kind, OrderReason reason, List<(ulong, OrderEventKind, OrderReason)> closed)
    {
        _book.Remove(order);
        order.Locked = 0;
        closed.Add((order.Id, kind, reason));
    }
}
