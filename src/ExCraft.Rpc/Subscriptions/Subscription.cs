namespace ExCraft.Rpc.Subscriptions;

/// <summary>One subscription of a connection: "newHeads", or "accountEvents" for one account.</summary>
public sealed record Subscription(string Id, string Kind, ExCraft.Core.Address? Account)
{
    public const string NewHeads = "newHeads";
    public const string AccountEvents = "accountEvents";
}
