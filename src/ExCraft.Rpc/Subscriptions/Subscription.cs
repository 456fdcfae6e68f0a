namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// One subscription of a connection: "newHeads", or "accountEvents" for one account (ext_subscribe),
/// or a market stream (market_subscribe, docs/market-data.md) with its <see cref="MarketStream"/>.
/// </summary>
public sealed record Subscription(string Id, string Kind, ExCraft.Core.Address? Account, MarketStream? Market = null)
{
    public const string NewHeads = "newHeads";
    public const string AccountEvents = "accountEvents";
}
