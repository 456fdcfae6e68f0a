using ExCraft.Core;
using ExCraft.Rpc.MarketData;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// The state of one market_subscribe stream: what it follows, and whether its first message (the
/// book snapshot, or the balances now) has been sent; until then no update is sent to it, so a
/// client never sees a delta from before its snapshot.
/// </summary>
public sealed class MarketStream(string kind, string? market, Address? account, CandleInterval? interval)
{
    public const string Book = "book";
    public const string Trades = "trades";
    public const string Candles = "candles";
    public const string Orders = "orders";
    public const string Balances = "balances";

    public static readonly IReadOnlyList<string> Kinds = [Book, Trades, Candles, Orders, Balances];

    public string Kind { get; } = kind;
    public string? Market { get; } = market;
    public Address? Account { get; } = account;
    public CandleInterval? Interval { get; } = interval;

    /// <summary>Set (under the index's lock) once the first message is queued.</summary>
    public volatile bool Active;

    /// <summary>The balances last sent (balances streams only).</summary>
    public AccountBalanceTracker? BalanceTracker { get; } = account is { } a && kind == Balances ? new AccountBalanceTracker(a) : null;
}
