using System.Buffers.Binary;
using ExCraft.Core;
using ExCraft.Core.Crypto;

namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>An open order as the book reports it (amounts in base units).</summary>
public readonly record struct OrderView(
    ulong Id,
    Address Account,
    ulong ClientOrderId,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    UInt128 Price,
    UInt128 RemainingSize,
    UInt128 Locked,
    ulong Sequence,
    ulong ExpiryHeight,
    SelfTradePrevention SelfTrade);

/// <summary>One price level: total size and order count.</summary>
public readonly record struct DepthLevel(UInt128 Price, UInt128 Size, int Orders);

/// <summary>Read access: orders, depth, and the canonical bytes and hash of the whole book.</summary>
public sealed partial class OrderBook
{
    public OrderView? GetOrder(ulong orderId) => _orders.TryGetValue(orderId, out var order) ? View(order) : null;

    public OrderView? GetOrderByClientId(Address account, ulong clientOrderId) =>
        _byClientId.TryGetValue((account, clientOrderId), out var order) ? View(order) : null;

    /// <summary>One side's open orders in priority order (best price first, oldest first within a price).</summary>
    public IEnumerable<OrderView> Orders(Side side)
    {
        var book = side == Side.Buy ? _bids : _asks;
        for (var rank = 0; rank < book.LevelCount; rank++)
        {
            for (var order = book.LevelFromBest(rank).Head; order is not null; order = order.Next) yield return View(order);
        }
    }

    /// <summary>The account's open orders, by id.</summary>
    public IReadOnlyList<OrderView> OrdersOf(Address account)
    {
        var list = new List<OrderView>();
        if (_accountHeads.TryGetValue(account, out var head))
        {
            for (var order = head; order is not null; order = order.AccountNext) list.Add(View(order));
        }
        list.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return list;
    }

    /// <summary>Up to <paramref name="levels"/> price levels of a side, best first.</summary>
    public IReadOnlyList<DepthLevel> Depth(Side side, int levels)
    {
        var book = side == Side.Buy ? _bids : _asks;
        var count = Math.Min(levels, book.LevelCount);
        var result = new DepthLevel[count];
        for (var rank = 0; rank < count; rank++)
        {
            var level = book.LevelFromBest(rank);
            result[rank] = new DepthLevel(level.PriceTicks * Rules.TickSize, level.TotalLots * Rules.LotSize, level.Count);
        }
        return result;
    }

    public UInt128? BestPrice(Side side) => (side == Side.Buy ? _bids : _asks).Best is { } level ? level.PriceTicks * Rules.TickSize : null;

    /// <summary>Sum of all open orders' locks of one side (quote for bids, base for asks).</summary>
    public UInt128 TotalLocked(Side side)
    {
        UInt128 total = 0;
        foreach (var order in Orders(side)) total += order.Locked;
        return total;
    }

    /// <summary>
    /// Canonical bytes of the book's state: counters, last trade price, then every open order of
    /// bids and asks in priority order with all its fields, fixed width big-endian. The same
    /// inputs give the same bytes on every node; a restored book gives the bytes it was saved from.
    /// </summary>
    public byte[] ToCanonicalBytes()
    {
        const int orderBytes = 8 + Address.Length + 8 + 1 + 1 + 1 + 1 + 8 + 8 + 16 + 8 + 8 + 1;
        var buffer = new byte[8 * 4 + 8 + _orders.Count * orderBytes];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt64BigEndian(span, NextOrderId);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], _nextSequence);
        BinaryPrimitives.WriteUInt64BigEndian(span[16..], _lastTradeTicks);
        BinaryPrimitives.WriteUInt64BigEndian(span[24..], (ulong)_orders.Count);
        BinaryPrimitives.WriteUInt64BigEndian(span[32..], (ulong)_bids.LevelCount << 32 | (uint)_asks.LevelCount);
        var offset = 40;
        foreach (var book in new[] { _bids, _asks })
        {
            for (var rank = 0; rank < book.LevelCount; rank++)
            {
                for (var order = book.LevelFromBest(rank).Head; order is not null; order = order.Next)
                {
                    var o = span[offset..];
                    BinaryPrimitives.WriteUInt64BigEndian(o, order.Id);
                    order.Account.ToBytes().CopyTo(o[8..]);
                    var p = 8 + Address.Length;
                    BinaryPrimitives.WriteUInt64BigEndian(o[p..], order.ClientOrderId); p += 8;
                    o[p++] = (byte)order.Side;
                    o[p++] = (byte)order.Type;
                    o[p++] = (byte)order.TimeInForce;
                    o[p++] = (byte)order.SelfTrade;
                    BinaryPrimitives.WriteUInt64BigEndian(o[p..], order.PriceTicks); p += 8;
                    BinaryPrimitives.WriteUInt64BigEndian(o[p..], order.RemainingLots); p += 8;
                    BinaryPrimitives.WriteUInt128BigEndian(o[p..], order.Locked); p += 16;
                    BinaryPrimitives.WriteUInt64BigEndian(o[p..], order.Sequence); p += 8;
                    BinaryPrimitives.WriteUInt64BigEndian(o[p..], order.ExpiryHeight); p += 8;
                    o[p++] = order.IsBudget ? (byte)1 : (byte)0;
                    offset += orderBytes;
                }
            }
        }
        return buffer;
    }

    /// <summary>Keccak-256 of <see cref="ToCanonicalBytes"/>.</summary>
    public byte[] ComputeHash() => Keccak256.Hash(ToCanonicalBytes());

    private OrderView View(RestingOrder order) => new(order.Id, order.Account, order.ClientOrderId, order.Side, order.Type,
        order.TimeInForce, order.PriceTicks * Rules.TickSize, order.RemainingLots * Rules.LotSize, order.Locked,
        order.Sequence, order.ExpiryHeight, order.SelfTrade);
}
