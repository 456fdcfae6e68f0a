using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// One book, the ledger its outputs drive, and the output of the last call, so a test reads like
/// a trader's session. Accounts start with plenty of both assets unless funded otherwise.
/// </summary>
internal sealed class TradingDesk
{
    public OrderBook Book { get; }
    public Ledger Ledger { get; } = new();
    public MatchOutput Last { get; } = new();
    public ulong Height { get; set; } = 1;

    public TradingDesk(MarketRules rules, bool fund = true)
    {
        Book = new OrderBook(rules);
        if (!fund) return;
        foreach (var account in new[] { MarketTestKit.Alice, MarketTestKit.Bob, MarketTestKit.Carol })
        {
            Ledger.Fund(account, Ledger.Asset.Base, 1_000_000_000);
            Ledger.Fund(account, Ledger.Asset.Quote, 1_000_000_000);
        }
    }

    public PlaceResult Place(OrderRequest request)
    {
        Last.Clear();
        var result = Book.Place(request, Height, Ledger.Available(request.Account, request.Side), Last);
        Ledger.Apply(Last);
        return result;
    }

    public ulong Rest(Address account, Side side, UInt128 price, UInt128 size, ulong clientOrderId = 0, ulong expiry = 0)
    {
        var result = Place(OrderRequest.Limit(account, side, price, size, clientOrderId: clientOrderId, expiryHeight: expiry));
        Assert.True(result.Accepted, $"expected the order to be accepted, got {result.Reject}");
        return result.OrderId;
    }

    public OrderReason Cancel(Address account, ulong orderId) => Run(o => Book.Cancel(account, orderId, o));
    public OrderReason CancelByClientOrderId(Address account, ulong clientOrderId) => Run(o => Book.CancelByClientOrderId(account, clientOrderId, o));
    public int CancelAll(Address account) => Run(o => Book.CancelAll(account, o));

    public OrderReason Amend(Address account, ulong orderId, UInt128 price, UInt128 size)
    {
        var side = Book.GetOrder(orderId)?.Side ?? Side.Buy;
        return Run(o => Book.Amend(account, orderId, price, size, Ledger.Available(account, side), o));
    }

    public int Expire(ulong height) => Run(o => Book.ExpireOrders(height, o));
    public UInt128 Auction() => Run(Book.RunAuction);

    public OrderEvent LastEventOf(ulong orderId) => Last.Events.Last(e => e.OrderId == orderId);

    private T Run<T>(Func<MatchOutput, T> call)
    {
        Last.Clear();
        var result = call(Last);
        Ledger.Apply(Last);
        return result;
    }

    public void AssertBalanced()
    {
        Ledger.AssertConserved();
        Ledger.AssertLocksMatch(Book);
    }
}
