using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>Cancels, amends and expiry: the changes an owner or the block hooks make to open orders.</summary>
public sealed partial class OrderBook
{
    public OrderReason Cancel(Address account, ulong orderId, MatchOutput output)
    {
        var reject = FindOwned(account, orderId, out var order);
        if (reject != OrderReason.None) return Reject(account, orderId, 0, reject, output);
        Close(order!, OrderEventKind.Cancelled, OrderReason.CancelledByOwner, output);
        return OrderReason.None;
    }

    /// <summary>Cancels the account's open order with this client order id.</summary>
    public OrderReason CancelByClientOrderId(Address account, ulong clientOrderId, MatchOutput output)
    {
        if (clientOrderId == 0 || !_byClientId.TryGetValue((account, clientOrderId), out var order))
            return Reject(account, 0, clientOrderId, OrderReason.UnknownOrder, output);
        Close(order, OrderEventKind.Cancelled, OrderReason.CancelledByOwner, output);
        return OrderReason.None;
    }

    /// <summary>Cancels every open order of the account, in order-id order; returns how many.</summary>
    public int CancelAll(Address account, MatchOutput output)
    {
        if (!_accountHeads.TryGetValue(account, out var head)) return 0;
        var orders = new List<RestingOrder>();
        for (var order = head; order is not null; order = order.AccountNext) orders.Add(order);
        orders.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        foreach (var order in orders) Close(order, OrderEventKind.Cancelled, OrderReason.CancelAll, output);
        return orders.Count;
    }

    /// <summary>
    /// Changes an open order's price and remaining size. Shrinking the size at the same price keeps
    /// time priority; a new price or a larger size puts the order at the back of its new level (and
    /// in continuous mode a new price that crosses trades at once, except post-only, which is refused).
    /// <paramref name="available"/> is the account's free balance of the locked asset, for a lock that grows.
    /// </summary>
    public OrderReason Amend(Address account, ulong orderId, UInt128 newPrice, UInt128 newSize, UInt128 available, MatchOutput output)
    {
        var reject = FindOwned(account, orderId, out var found);
        if (reject != OrderReason.None) return Reject(account, orderId, 0, reject, output);
        var order = found!;
        reject = CheckPriceAndSize(newPrice, newSize, out var newTicks, out var newLots, out _);
        if (reject == OrderReason.None && newTicks == order.PriceTicks && newLots == order.RemainingLots) reject = OrderReason.AmendUnchanged;
        var required = reject == OrderReason.None ? LockFor(order.Side, newPrice, newSize) : 0;
        if (reject == OrderReason.None && required > order.Locked && required - order.Locked > available) reject = OrderReason.InsufficientFunds;
        var side = order.Side == Side.Buy ? _bids : _asks;
        var opposite = order.Side == Side.Buy ? _asks : _bids;
        var crosses = Rules.Mode == MatchingMode.Continuous && opposite.Best is { } best && Crosses(order.Side, newTicks, best.PriceTicks);
        if (reject == OrderReason.None && crosses && order.TimeInForce == TimeInForce.PostOnly) reject = OrderReason.PostOnlyWouldCross;
        if (reject != OrderReason.None) return Reject(account, orderId, order.ClientOrderId, reject, output);

        var locked = required > order.Locked ? required - order.Locked : 0;
        var released = order.Locked > required ? order.Locked - required : 0;
        order.Locked = required;

        if (newTicks == order.PriceTicks && newLots < order.RemainingLots)
        {
            order.Level!.TotalLots -= order.RemainingLots - newLots;
            order.RemainingLots = newLots;
            output.Events.Add(Event(OrderEventKind.Amended, order, OrderReason.None, locked, released));
            return OrderReason.None;
        }

        // Loses time priority: out of its level, new sequence, back in (or matched first if it now crosses).
        var level = order.Level!;
        level.Remove(order);
        if (level.Count == 0) side.RemoveLevel(level);
        order.PriceTicks = newTicks;
        order.RemainingLots = newLots;
        order.Sequence = _nextSequence++;
        output.Events.Add(Event(OrderEventKind.Amended, order, OrderReason.None, locked, released));
        if (!crosses)
        {
            side.GetOrAdd(order.PriceTicks).Append(order);
            return OrderReason.None;
        }

        // Matched as an incoming order; it is still indexed (id, client id, account, expiry) but in no level.
        var fillsBefore = output.Fills.Count;
        var stop = MatchIncoming(order, output);
        Unindex(order);
        Finish(order, stop, traded: output.Fills.Count > fillsBefore, output);
        return OrderReason.None;
    }

    /// <summary>Cancels every order whose expiry height is at or below <paramref name="height"/>, oldest expiry first; returns how many.</summary>
    public int ExpireOrders(ulong height, MatchOutput output)
    {
        var count = 0;
        while (_expiries.Count > 0 && _expiries.Min.Height <= height)
        {
            var order = _orders[_expiries.Min.OrderId];
            Close(order, OrderEventKind.Cancelled, OrderReason.ExpiredAtHeight, output);
            count++;
        }
        return count;
    }

    /// <summary>
    /// Cancels one open order because its expiry block time has come (the module keeps the time
    /// index: the engine knows heights only); false when the order is not open.
    /// </summary>
    public bool ExpireOrderByTime(ulong orderId, MatchOutput output)
    {
        if (!_orders.TryGetValue(orderId, out var order)) return false;
        Close(order, OrderEventKind.Cancelled, OrderReason.ExpiredAtTime, output);
        return true;
    }

    private OrderReason FindOwned(Address account, ulong orderId, out RestingOrder? order)
    {
        if (_orders.TryGetValue(orderId, out order)) return order.Account == account ? OrderReason.None : OrderReason.NotOwner;
        // Ids are consecutive, so an id this book issued that is not open was filled, cancelled or expired.
        return orderId >= _firstOrderId && orderId < NextOrderId ? OrderReason.OrderNotOpen : OrderReason.UnknownOrder;
    }

    private static OrderReason Reject(Address account, ulong orderId, ulong clientOrderId, OrderReason reason, MatchOutput output)
    {
        output.Events.Add(new OrderEvent(OrderEventKind.Rejected, orderId, account, clientOrderId, Side.Buy, 0, 0, reason, 0, 0));
        return reason;
    }

    /// <summary>Removes an order that is in no price level from the id, client-id, expiry and account indexes.</summary>
    private void Unindex(RestingOrder order)
    {
        _orders.Remove(order.Id);
        if (order.ClientOrderId != 0) _byClientId.Remove((order.Account, order.ClientOrderId));
        if (order.ExpiryHeight != 0) _expiries.Remove((order.ExpiryHeight, order.Id));
        UnlinkFromAccount(order);
    }
}
