namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// One subscription of a connection: "newHeads", "accountEvents" for one account or "swapOffers"
/// (every offer, or one offer by id), "swapProgress" for one offer and its native HTLC (ext_subscribe), or a market stream (market_subscribe,
/// docs/market-data.md) with its <see cref="MarketStream"/>.
/// </summary>
public sealed record Subscription(string Id, string Kind, ExCraft.Core.Address? Account, byte[]? OfferId = null, MarketStream? Market = null,
    SwapProgressStream? Progress = null)
{
    public const string NewHeads = "newHeads";
    public const string AccountEvents = "accountEvents";
    public const string SwapOffers = "swapOffers";
    public const string SwapProgress = "swapProgress";
}
