namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// Why an order was rejected (nothing changed) or cancelled (its remaining funds were released).
/// The numbers are stable: the chain module stores and returns them.
/// </summary>
public enum OrderReason : byte
{
    None = 0,

    // Rejections: the request changed nothing.
    ZeroSize = 1,
    ZeroPrice = 2,
    OffTick = 3,
    OffLot = 4,
    BelowMinNotional = 5,
    TooLarge = 6,
    PostOnlyWouldCross = 7,
    FillOrKillNotFillable = 8,
    UnknownOrder = 9,
    NotOwner = 10,
    OrderNotOpen = 11,
    DuplicateClientOrderId = 12,
    Expired = 13,
    InsufficientFunds = 14,
    UnsupportedInBatchMode = 15,
    AmendUnchanged = 16,
    InvalidOrder = 17,

    // Cancellations of (part of) an accepted order.
    CancelledByOwner = 32,
    CancelAll = 33,
    UnfilledRemainder = 34,
    SelfTrade = 35,
    RoundsToZero = 36,
    ExpiredAtHeight = 37,
    /// <summary>Cancelled by the markets module because the order's expiry block time came.</summary>
    ExpiredAtTime = 38,
}
