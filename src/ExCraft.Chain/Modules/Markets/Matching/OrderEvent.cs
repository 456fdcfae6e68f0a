using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets.Matching;

public enum OrderEventKind : byte
{
    /// <summary>Validated; <see cref="OrderEvent.FundsLocked"/> moved from the account's balance into the order.</summary>
    Accepted = 0,
    /// <summary>Now resting in the book (after any immediate fills).</summary>
    Rested = 1,
    PartiallyFilled = 2,
    /// <summary>Fully filled and closed; leftover lock (a buy that paid less than its limit) is released.</summary>
    Filled = 3,
    /// <summary>Closed with <see cref="OrderEvent.Reason"/>; its remaining lock is released.</summary>
    Cancelled = 4,
    /// <summary>Refused with <see cref="OrderEvent.Reason"/>; nothing changed.</summary>
    Rejected = 5,
    /// <summary>Price or size changed; the lock grew by FundsLocked or shrank by FundsReleased.</summary>
    Amended = 6,
}

/// <summary>
/// Every change of an order. The locked asset is quote for buys and base for sells. Applying, in
/// order, each event's FundsLocked (balance to locked), each fill (locked to the counterparty and
/// fees) and each event's FundsReleased (locked to balance) keeps balances + locked + fees equal
/// to what they were: the engine never creates or destroys value.
/// </summary>
public readonly record struct OrderEvent(
    OrderEventKind Kind,
    ulong OrderId,
    Address Account,
    ulong ClientOrderId,
    Side Side,
    UInt128 Price,
    UInt128 RemainingSize,
    OrderReason Reason,
    UInt128 FundsLocked,
    UInt128 FundsReleased);
