namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>Buy pays quote and receives base; sell pays base and receives quote.</summary>
public enum Side : byte { Buy = 0, Sell = 1 }

/// <summary>Limit orders carry a price; market orders carry a worst price or (buys only) a quote budget.</summary>
public enum OrderType : byte { Limit = 0, Market = 1 }

/// <summary>
/// What a limit order does with the part that does not fill at once. Market orders are always
/// immediate-or-cancel.
/// </summary>
public enum TimeInForce : byte
{
    GoodTillCancel = 0,
    ImmediateOrCancel = 1,
    FillOrKill = 2,
    PostOnly = 3,
}

/// <summary>
/// What happens when an order would trade against an order of the same account. "Incoming" is the
/// order being matched (the newer one in a batch auction), "resting" the one already in the book.
/// </summary>
public enum SelfTradePrevention : byte
{
    CancelResting = 0,
    CancelIncoming = 1,
    CancelBoth = 2,
}

/// <summary>Continuous matching on arrival, or one uniform-price auction per block.</summary>
public enum MatchingMode : byte
{
    Continuous = 0,
    BatchAuction = 1,
}
