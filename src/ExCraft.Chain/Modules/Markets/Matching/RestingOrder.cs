using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// An open order inside the engine. Price and size are held in ticks and lots (ulong) so the hot
/// path compares and subtracts machine words; amounts are rebuilt with the market's tick and lot
/// sizes when a fill is priced. The links make removal from its price level and from its
/// account's list O(1) with no search.
/// </summary>
internal sealed class RestingOrder
{
    public ulong Id;
    public Address Account;
    public ulong ClientOrderId;
    public Side Side;
    public OrderType Type;
    public TimeInForce TimeInForce;
    public SelfTradePrevention SelfTrade;
    public ulong PriceTicks;
    public ulong RemainingLots;
    /// <summary>Funds still locked for this order: quote for a buy, base for a sell.</summary>
    public UInt128 Locked;
    /// <summary>Time priority: lower is older. Renewed when an amend loses priority.</summary>
    public ulong Sequence;
    public ulong ExpiryHeight;
    /// <summary>A budget market buy: limited by <see cref="Locked"/>, not by a size or a price.</summary>
    public bool IsBudget;

    public PriceLevel? Level;
    public RestingOrder? Previous;
    public RestingOrder? Next;
    public RestingOrder? AccountPrevious;
    public RestingOrder? AccountNext;

    /// <summary>Only immediate orders are matched and then closed; they never stay in the book.</summary>
    public bool IsImmediate => Type == OrderType.Market || TimeInForce is TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill;
}
