using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>Result of placing an order: its id if accepted, else the reason it was refused.</summary>
public readonly record struct PlaceResult(ulong OrderId, OrderReason Reject)
{
    public bool Accepted => Reject == OrderReason.None;
}

/// <summary>
/// The order book of one market and its matching engine: pure, in memory, deterministic. Every
/// input is an integer, every collection that decides a result is ordered (price levels in a
/// sorted array, orders in arrival order, expiries in a sorted set); dictionaries are used only to
/// find an order by id, never iterated to decide anything. A call either is refused with a
/// specific <see cref="OrderReason"/> and changes nothing, or appends its fills and events to the
/// given <see cref="MatchOutput"/>. The chain module moves the funds those outputs describe.
/// </summary>
public sealed partial class OrderBook
{
    private readonly BookSide _bids = new(isBid: true);
    private readonly BookSide _asks = new(isBid: false);
    private readonly Dictionary<ulong, RestingOrder> _orders = new();
    private readonly Dictionary<(Address Account, ulong ClientOrderId), RestingOrder> _byClientId = new();
    private readonly Dictionary<Address, RestingOrder> _accountHeads = new();
    private readonly SortedSet<(ulong Height, ulong OrderId)> _expiries = new();
    private readonly ulong _firstOrderId;
    private ulong _nextSequence = 1;
    private readonly Stack<RestingOrder> _spareOrders = new();
    private const int MaxSpareOrders = 4_096;

    public OrderBook(MarketRules rules, ulong firstOrderId = 1)
    {
        rules.Validate();
        if (firstOrderId == 0) throw new ArgumentException("order ids start at 1 or above (0 means none)");
        Rules = rules;
        _firstOrderId = firstOrderId;
        NextOrderId = firstOrderId;
    }

    public MarketRules Rules { get; }
    /// <summary>The id the next accepted order gets; ids are consecutive.</summary>
    public ulong NextOrderId { get; private set; }
    public int OpenOrderCount => _orders.Count;
    /// <summary>Price of the last fill (in quote base units per PriceScale), or 0 before any.</summary>
    public UInt128 LastTradePrice => _lastTradeTicks * Rules.TickSize;

    private ulong _lastTradeTicks;

    // ---------------------------------------------------------------- place

    /// <summary>
    /// Places an order at block <paramref name="height"/>. <paramref name="available"/> is the
    /// account's free balance of the asset the order locks (quote for buys, base for sells).
    /// </summary>
    public PlaceResult Place(in OrderRequest request, ulong height, UInt128 available, MatchOutput output)
    {
        var reject = Validate(request, height, available, out var priceTicks, out var lots, out var lockAmount);
        if (reject != OrderReason.None)
        {
            output.Events.Add(new OrderEvent(OrderEventKind.Rejected, 0, request.Account, request.ClientOrderId, request.Side,
                request.Price, request.Size, reject, 0, 0));
            return new PlaceResult(0, reject);
        }

        var order = _spareOrders.TryPop(out var spare) ? spare : new RestingOrder();
        order.Id = NextOrderId++;
        order.Account = request.Account;
        order.ClientOrderId = request.ClientOrderId;
        order.Side = request.Side;
        order.Type = request.Type;
        order.TimeInForce = request.Type == OrderType.Market ? TimeInForce.ImmediateOrCancel : request.TimeInForce;
        order.SelfTrade = request.SelfTrade;
        order.PriceTicks = priceTicks;
        order.RemainingLots = lots;
        order.Locked = lockAmount;
        order.Sequence = _nextSequence++;
        order.ExpiryHeight = request.ExpiryHeight;
        order.IsBudget = request.IsBudgetOrder;
        order.Level = null;
        order.Previous = order.Next = order.AccountPrevious = order.AccountNext = null;
        output.Events.Add(Event(OrderEventKind.Accepted, order, OrderReason.None, locked: lockAmount));

        if (Rules.Mode == MatchingMode.BatchAuction)
        {
            // Batch mode: every order waits in the book for the block's auction; immediate ones
            // are remembered so their remainder is cancelled after it.
            Rest(order, output, traded: false);
            if (order.IsImmediate) _auctionImmediates.Add(order);
            return new PlaceResult(order.Id, OrderReason.None);
        }

        var fillsBefore = output.Fills.Count;
        var stop = MatchIncoming(order, output);
        Finish(order, stop, traded: output.Fills.Count > fillsBefore, output);
        return new PlaceResult(order.Id, OrderReason.None);
    }

    /// <summary>
    /// Whether a place would be accepted by an empty book with these rules (tick, lot, size limits,
    /// min notional, expiry, funds; a fill-or-kill is never fillable there): the refusal reason, or
    /// None, and what the order would lock. The same checks <see cref="Place"/> runs first, on a
    /// cached empty book of this thread, so the transaction-time check builds no book per order.
    /// </summary>
    public static OrderReason CheckOnEmptyBook(MarketRules rules, in OrderRequest request, ulong height, UInt128 available, out UInt128 lockAmount)
    {
        var book = _emptyBook is { } cached && cached.Rules == rules ? cached : _emptyBook = new OrderBook(rules);
        return book.Validate(request, height, available, out _, out _, out lockAmount);
    }

    /// <summary>Only ever validated against (Validate reads the book, never changes it), so it stays empty.</summary>
    [ThreadStatic] private static OrderBook? _emptyBook;

    private OrderReason Validate(in OrderRequest request, ulong height, UInt128 available,
        out ulong priceTicks, out ulong lots, out UInt128 lockAmount)
    {
        priceTicks = 0;
        lots = 0;
        lockAmount = 0;
        if (request.Side is not (Side.Buy or Side.Sell)) return OrderReason.InvalidOrder;
        if (request.SelfTrade is not (SelfTradePrevention.CancelResting or SelfTradePrevention.CancelIncoming or SelfTradePrevention.CancelBoth))
            return OrderReason.InvalidOrder;

        if (request.Type == OrderType.Market && request.QuoteBudget != 0)
        {
            // Budget market buy: no size, no price; spends at most the budget.
            if (request.Side != Side.Buy || request.Size != 0 || request.Price != 0) return OrderReason.InvalidOrder;
            if (Rules.Mode == MatchingMode.BatchAuction) return OrderReason.UnsupportedInBatchMode;
            if (request.QuoteBudget < EffectiveMinNotional) return OrderReason.BelowMinNotional;
            lockAmount = request.QuoteBudget;
        }
        else
        {
            if (request.QuoteBudget != 0) return OrderReason.InvalidOrder; // a budget belongs to market buys only
            if (request.Type == OrderType.Market && request.TimeInForce != TimeInForce.ImmediateOrCancel) return OrderReason.InvalidOrder;
            if (request.Type is not (OrderType.Limit or OrderType.Market)) return OrderReason.InvalidOrder;
            if (request.TimeInForce is not (TimeInForce.GoodTillCancel or TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill or TimeInForce.PostOnly))
                return OrderReason.InvalidOrder;
            var sizeCheck = CheckPriceAndSize(request.Price, request.Size, out priceTicks, out lots, out var notional);
            if (sizeCheck != OrderReason.None) return sizeCheck;
            if (Rules.Mode == MatchingMode.BatchAuction && request.TimeInForce is TimeInForce.FillOrKill or TimeInForce.PostOnly)
                return OrderReason.UnsupportedInBatchMode;
            lockAmount = request.Side == Side.Buy ? notional : request.Size; // = LockFor(side, price, size)
        }

        if (request.ExpiryHeight != 0 && request.ExpiryHeight <= height) return OrderReason.Expired;
        if (request.ClientOrderId != 0 && _byClientId.ContainsKey((request.Account, request.ClientOrderId)))
            return OrderReason.DuplicateClientOrderId;
        if (lockAmount > available) return OrderReason.InsufficientFunds;

        if (Rules.Mode == MatchingMode.Continuous && request.Type == OrderType.Limit)
        {
            var opposite = request.Side == Side.Buy ? _asks : _bids;
            if (request.TimeInForce == TimeInForce.PostOnly && opposite.Best is { } best && Crosses(request.Side, priceTicks, best.PriceTicks))
                return OrderReason.PostOnlyWouldCross;
            if (request.TimeInForce == TimeInForce.FillOrKill && !CanFillCompletely(request.Account, request.Side, priceTicks, lots, request.SelfTrade))
                return OrderReason.FillOrKillNotFillable;
        }
        return OrderReason.None;
    }

    /// <summary>Tick, lot, size limits and min notional of a price and size (shared by place and amend).</summary>
    private OrderReason CheckPriceAndSize(UInt128 price, UInt128 size, out ulong priceTicks, out ulong lots, out UInt128 notional)
    {
        priceTicks = 0;
        lots = 0;
        notional = 0;
        if (size == 0) return OrderReason.ZeroSize;
        if (price == 0) return OrderReason.ZeroPrice;
        if (price % Rules.TickSize != 0) return OrderReason.OffTick;
        if (size % Rules.LotSize != 0) return OrderReason.OffLot;
        var ticks = price / Rules.TickSize;
        var lotCount = size / Rules.LotSize;
        // price * size must fit 128 bits: then every fill (at most this order's or a resting order's size at its price) does too.
        if (ticks > ulong.MaxValue || lotCount > ulong.MaxValue || !QuoteMath.TryMultiply(price, size, out var product)) return OrderReason.TooLarge;
        notional = product / Rules.PriceScale;
        if (notional < EffectiveMinNotional) return OrderReason.BelowMinNotional;
        priceTicks = (ulong)ticks;
        lots = (ulong)lotCount;
        return OrderReason.None;
    }

    /// <summary>
    /// Funds an order locks: a buy its notional at its limit price (rounded down, which covers
    /// every fill at that price or better), a sell its size in base.
    /// </summary>
    public UInt128 LockFor(Side side, UInt128 price, UInt128 size) =>
        side == Side.Buy ? QuoteMath.Quote(price, size, Rules.PriceScale) : size;

    // A resting order must be worth at least one quote unit, or a fill could round to nothing.
    private UInt128 EffectiveMinNotional => Rules.MinNotional == 0 ? 1 : Rules.MinNotional;

    private static bool Crosses(Side takerSide, ulong limitTicks, ulong levelTicks) =>
        takerSide == Side.Buy ? levelTicks <= limitTicks : levelTicks >= limitTicks;

    // ---------------------------------------------------------------- continuous matching

    /// <summary>Why matching of an incoming order stopped early (None: it filled, or the book stopped crossing).</summary>
    private enum StopReason : byte { None, SelfTrade, RoundsToZero, BudgetSpent }

    private StopReason MatchIncoming(RestingOrder taker, MatchOutput output)
    {
        var opposite = taker.Side == Side.Buy ? _asks : _bids;
        var lotSize = Rules.LotSize;
        var tickSize = Rules.TickSize;
        while (taker.IsBudget || taker.RemainingLots > 0)
        {
            var level = opposite.Best;
            if (level is null) return StopReason.None;
            if (!taker.IsBudget && !Crosses(taker.Side, taker.PriceTicks, level.PriceTicks)) return StopReason.None;
            var maker = level.Head!;
            if (maker.Account == taker.Account)
            {
                switch (taker.SelfTrade)
                {
                    case SelfTradePrevention.CancelResting:
                        Close(maker, OrderEventKind.Cancelled, OrderReason.SelfTrade, output);
                        continue;
                    case SelfTradePrevention.CancelIncoming:
                        return StopReason.SelfTrade;
                    default:
                        Close(maker, OrderEventKind.Cancelled, OrderReason.SelfTrade, output);
                        return StopReason.SelfTrade;
                }
            }

            var price = level.PriceTicks * tickSize;
            var lots = Math.Min(maker.RemainingLots, taker.RemainingLots);
            if (taker.IsBudget)
            {
                lots = Math.Min(maker.RemainingLots, QuoteMath.AffordableLots(taker.Locked, price, lotSize, Rules.PriceScale));
                if (lots == 0) return StopReason.BudgetSpent;
            }
            var baseAmount = lots * lotSize;
            var quoteAmount = QuoteMath.Quote(price, baseAmount, Rules.PriceScale);
            // Resting orders are never dust, so a zero here is the incoming order's small remainder.
            if (quoteAmount == 0) return StopReason.RoundsToZero;

            ExecuteFill(maker, taker, lots, price, baseAmount, quoteAmount, output);
            if (maker.RemainingLots == 0) Close(maker, OrderEventKind.Filled, OrderReason.None, output);
            else AfterPartialFill(maker, output);
        }
        return StopReason.None;
    }

    /// <summary>Moves one fill between a maker and a taker (either may be in a price level) and emits it.</summary>
    private void ExecuteFill(RestingOrder maker, RestingOrder taker, ulong lots,
        UInt128 price, UInt128 baseAmount, UInt128 quoteAmount, MatchOutput output)
    {
        var buyer = taker.Side == Side.Buy ? taker : maker;
        var seller = taker.Side == Side.Buy ? maker : taker;
        buyer.Locked -= quoteAmount;
        seller.Locked -= baseAmount;
        maker.RemainingLots -= lots;
        if (maker.Level is { } makerLevel) makerLevel.TotalLots -= lots;
        if (!taker.IsBudget)
        {
            taker.RemainingLots -= lots;
            if (taker.Level is { } takerLevel) takerLevel.TotalLots -= lots;
        }
        var makerFee = QuoteMath.Fee(maker.Side == Side.Buy ? baseAmount : quoteAmount, Rules.MakerFeePpm);
        var takerFee = QuoteMath.Fee(taker.Side == Side.Buy ? baseAmount : quoteAmount, Rules.TakerFeePpm);
        output.Fills.Add(new Fill(maker.Id, taker.Id, maker.Account, taker.Account, taker.Side, price, baseAmount, quoteAmount, makerFee, takerFee));
        _lastTradeTicks = (ulong)(price / Rules.TickSize);
    }

    /// <summary>A partly filled resting order reports it, and is cancelled if its remainder became dust.</summary>
    private void AfterPartialFill(RestingOrder order, MatchOutput output)
    {
        if (IsDust(order)) Close(order, OrderEventKind.Cancelled, OrderReason.RoundsToZero, output);
        else output.Events.Add(Event(OrderEventKind.PartiallyFilled, order, OrderReason.None));
    }

    private bool IsDust(RestingOrder order) =>
        QuoteMath.Quote(order.PriceTicks * Rules.TickSize, order.RemainingLots * Rules.LotSize, Rules.PriceScale) == 0;

    /// <summary>After matching: an incoming order fills, rests, or is cancelled, and leftover funds are released.</summary>
    private void Finish(RestingOrder order, StopReason stop, bool traded, MatchOutput output)
    {
        if (order.IsBudget)
        {
            // A budget buy is done when it spent what it could; it closes as filled if it bought anything.
            if (stop == StopReason.BudgetSpent && traded) Close(order, OrderEventKind.Filled, OrderReason.None, output);
            else Close(order, OrderEventKind.Cancelled, StopToReason(stop), output);
            return;
        }
        if (order.RemainingLots == 0) { Close(order, OrderEventKind.Filled, OrderReason.None, output); return; }
        if (stop != StopReason.None) { Close(order, OrderEventKind.Cancelled, StopToReason(stop), output); return; }
        if (order.IsImmediate) { Close(order, OrderEventKind.Cancelled, OrderReason.UnfilledRemainder, output); return; }
        if (traded && IsDust(order)) { Close(order, OrderEventKind.Cancelled, OrderReason.RoundsToZero, output); return; }
        Rest(order, output, traded);
    }

    private static OrderReason StopToReason(StopReason stop) => stop switch
    {
        StopReason.SelfTrade => OrderReason.SelfTrade,
        StopReason.RoundsToZero => OrderReason.RoundsToZero,
        _ => OrderReason.UnfilledRemainder,
    };

    /// <summary>Puts an accepted order into the book, releasing the part of a buy's lock its remainder no longer needs.</summary>
    private void Rest(RestingOrder order, MatchOutput output, bool traded)
    {
        UInt128 released = 0;
        // An order that has not traded holds exactly its notional; one that bought below its limit may hold more.
        if (order.Side == Side.Buy && traded)
        {
            var needed = QuoteMath.Quote(order.PriceTicks * Rules.TickSize, order.RemainingLots * Rules.LotSize, Rules.PriceScale);
            if (order.Locked > needed)
            {
                released = order.Locked - needed;
                order.Locked = needed;
            }
        }
        var side = order.Side == Side.Buy ? _bids : _asks;
        side.GetOrAdd(order.PriceTicks).Append(order);
        _orders.Add(order.Id, order);
        if (order.ClientOrderId != 0) _byClientId.Add((order.Account, order.ClientOrderId), order);
        if (order.ExpiryHeight != 0) _expiries.Add((order.ExpiryHeight, order.Id));
        LinkToAccount(order);
        output.Events.Add(Event(OrderEventKind.Rested, order, OrderReason.None, released: released));
    }

    /// <summary>Closes an order (filled or cancelled): out of every index, its remaining lock released.</summary>
    private void Close(RestingOrder order, OrderEventKind kind, OrderReason reason, MatchOutput output)
    {
        if (order.Level is { } level)
        {
            level.Remove(order);
            if (level.Count == 0) (order.Side == Side.Buy ? _bids : _asks).RemoveLevel(level);
            _orders.Remove(order.Id);
            if (order.ClientOrderId != 0) _byClientId.Remove((order.Account, order.ClientOrderId));
            if (order.ExpiryHeight != 0) _expiries.Remove((order.ExpiryHeight, order.Id));
            UnlinkFromAccount(order);
        }
        var released = order.Locked;
        order.Locked = 0;
        output.Events.Add(Event(kind, order, reason, released: released));
        // Reused by the next Place (fewer long-lived objects for the garbage collector). Batch mode
        // keeps closed orders referenced until the auction ends, so it does not recycle.
        if (Rules.Mode == MatchingMode.Continuous && _spareOrders.Count < MaxSpareOrders) _spareOrders.Push(order);
    }

    private OrderEvent Event(OrderEventKind kind, RestingOrder order, OrderReason reason, UInt128 locked = default, UInt128 released = default) =>
        new(kind, order.Id, order.Account, order.ClientOrderId, order.Side, order.PriceTicks * Rules.TickSize,
            order.RemainingLots * Rules.LotSize, reason, locked, released);

    /// <summary>
    /// Dry run of <see cref="MatchIncoming"/> for a fill-or-kill order: walks the same orders with
    /// the same self-trade and rounding rules, changing nothing.
    /// </summary>
    private bool CanFillCompletely(Address account, Side side, ulong limitTicks, ulong lots, SelfTradePrevention selfTrade)
    {
        var opposite = side == Side.Buy ? _asks : _bids;
        var needed = lots;
        for (var rank = 0; rank < opposite.LevelCount; rank++)
        {
            var level = opposite.LevelFromBest(rank);
            if (!Crosses(side, limitTicks, level.PriceTicks)) return false;
            var price = level.PriceTicks * Rules.TickSize;
            for (var maker = level.Head; maker is not null; maker = maker.Next)
            {
                if (maker.Account == account)
                {
                    if (selfTrade == SelfTradePrevention.CancelResting) continue;
                    return false;
                }
                var take = Math.Min(maker.RemainingLots, needed);
                if (QuoteMath.Quote(price, take * Rules.LotSize, Rules.PriceScale) == 0) return false;
                needed -= take;
                if (needed == 0) return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- account index

    private void LinkToAccount(RestingOrder order)
    {
        if (_accountHeads.TryGetValue(order.Account, out var head))
        {
            order.AccountNext = head;
            head.AccountPrevious = order;
        }
        _accountHeads[order.Account] = order;
    }

    private void UnlinkFromAccount(RestingOrder order)
    {
        if (order.AccountPrevious is null)
        {
            if (order.AccountNext is null) _accountHeads.Remove(order.Account);
            else _accountHeads[order.Account] = order.AccountNext;
        }
        else order.AccountPrevious.AccountNext = order.AccountNext;
        if (order.AccountNext is not null) order.AccountNext.AccountPrevious = order.AccountPrevious;
        order.AccountPrevious = null;
        order.AccountNext = null;
    }
}
