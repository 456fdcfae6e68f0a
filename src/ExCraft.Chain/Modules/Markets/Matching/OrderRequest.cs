using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// A new order as the engine receives it. Amounts are base units of the assets: <see cref="Price"/>
/// is quote base units per <see cref="MarketRules.PriceScale"/> base units (one whole base token),
/// <see cref="Size"/> is base base units. <see cref="QuoteBudget"/> is used only by market buys that
/// spend a budget instead of buying a size. ClientOrderId 0 means none; ExpiryHeight 0 means never.
/// </summary>
public readonly record struct OrderRequest(
    Address Account,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    UInt128 Price,
    UInt128 Size,
    UInt128 QuoteBudget,
    ulong ClientOrderId,
    ulong ExpiryHeight,
    SelfTradePrevention SelfTrade)
{
    public static OrderRequest Limit(Address account, Side side, UInt128 price, UInt128 size,
        TimeInForce timeInForce = TimeInForce.GoodTillCancel, ulong clientOrderId = 0, ulong expiryHeight = 0,
        SelfTradePrevention selfTrade = SelfTradePrevention.CancelResting) =>
        new(account, side, OrderType.Limit, timeInForce, price, size, 0, clientOrderId, expiryHeight, selfTrade);

    /// <summary>A market order for a size, trading no worse than <paramref name="worstPrice"/>.</summary>
    public static OrderRequest Market(Address account, Side side, UInt128 size, UInt128 worstPrice,
        ulong clientOrderId = 0, SelfTradePrevention selfTrade = SelfTradePrevention.CancelResting) =>
        new(account, side, OrderType.Market, TimeInForce.ImmediateOrCancel, worstPrice, size, 0, clientOrderId, 0, selfTrade);

    /// <summary>A market buy that spends at most <paramref name="quoteBudget"/> at any price.</summary>
    public static OrderRequest MarketBuyWithBudget(Address account, UInt128 quoteBudget,
        ulong clientOrderId = 0, SelfTradePrevention selfTrade = SelfTradePrevention.CancelResting) =>
        new(account, Side.Buy, OrderType.Market, TimeInForce.ImmediateOrCancel, 0, 0, quoteBudget, clientOrderId, 0, selfTrade);

    public bool IsBudgetOrder => Type == OrderType.Market && QuoteBudget != 0;
}
