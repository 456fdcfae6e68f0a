using System.Security.Cryptography;
using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// Thousands of seeded random order streams through the engine and through the naive
/// <see cref="ReferenceMatcher"/>: every result, fill and closed order must agree, the final books
/// must be the same, funds must be conserved, and replaying a stream must give the same bytes.
/// </summary>
public class MatchingPropertyTests
{
    private const int Streams = 2_000;
    private const int StreamLength = 150;

    [Fact]
    public void Engine_agrees_with_the_reference_matcher_on_random_streams_and_conserves_funds()
    {
        long fills = 0, rejects = 0, closes = 0;
        for (var seed = 1; seed <= Streams; seed++)
        {
            var rules = RandomOrderStream.RulesFor(seed);
            var ops = RandomOrderStream.Generate(seed, rules, StreamLength);
            var run = RunAgainstReference(seed, rules, ops);
            fills += run.Fills;
            rejects += run.Rejects;
            closes += run.Closes;
        }
        // The streams must actually exercise the engine, or the comparison proves little.
        Assert.True(fills > Streams * 10, $"only {fills} fills");
        Assert.True(rejects > Streams * 5, $"only {rejects} rejects");
        Assert.True(closes > Streams * 20, $"only {closes} closed orders");
    }

    [Fact]
    public void The_same_stream_twice_gives_the_same_fills_events_and_book_bytes()
    {
        for (var seed = 1; seed <= 200; seed++)
        {
            var rules = RandomOrderStream.RulesFor(seed);
            var ops = RandomOrderStream.Generate(seed, rules, StreamLength);
            var (firstBook, firstOutputs) = RunEngineOnly(rules, ops);
            var (secondBook, secondOutputs) = RunEngineOnly(rules, ops);
            Assert.Equal(firstOutputs, secondOutputs);
            Assert.Equal(firstBook.ToCanonicalBytes(), secondBook.ToCanonicalBytes());
            Assert.Equal(firstBook.ComputeHash(), secondBook.ComputeHash());
        }
    }

    [Fact]
    public void Different_streams_give_different_book_hashes()
    {
        var rules = RandomOrderStream.RulesFor(3);
        var (a, _) = RunEngineOnly(rules, RandomOrderStream.Generate(3, rules, StreamLength));
        var (b, _) = RunEngineOnly(rules, RandomOrderStream.Generate(6, rules, StreamLength));
        Assert.NotEqual(a.ComputeHash(), b.ComputeHash());
    }

    private readonly record struct RunCounts(int Fills, int Rejects, int Closes);

    private static RunCounts RunAgainstReference(int seed, MarketRules rules, List<StreamOp> ops)
    {
        var book = new OrderBook(rules);
        var reference = new ReferenceMatcher(rules);
        var ledger = new Ledger();
        foreach (var account in RandomOrderStream.Accounts)
        {
            // Modest balances so some orders are refused for funds.
            ledger.Fund(account, Ledger.Asset.Base, 400 * (long)(ulong)rules.LotSize);
            ledger.Fund(account, Ledger.Asset.Quote, 50_000 * (long)(ulong)rules.TickSize * (long)(ulong)rules.LotSize / (long)(ulong)rules.PriceScale + 2_000);
        }
        var output = new MatchOutput();
        var engineFills = new List<Fill>();
        var engineClosed = new List<(ulong, OrderEventKind, OrderReason)>();
        ulong height = 1;
        var rejects = 0;
        for (var step = 0; step < ops.Count; step++)
        {
            output.Clear();
            var op = ops[step];
            string engineResult, referenceResult;
            switch (op)
            {
                case StreamOp.Place p:
                {
                    var available = ledger.Available(p.Request.Account, p.Request.Side);
                    engineResult = book.Place(p.Request, height, available, output).ToString();
                    referenceResult = reference.Place(p.Request, height, available).ToString();
                    break;
                }
                case StreamOp.Cancel c:
                    engineResult = book.Cancel(c.Account, c.OrderId, output).ToString();
                    referenceResult = reference.Cancel(c.Account, c.OrderId).ToString();
                    break;
                case StreamOp.CancelByClientId c:
                    engineResult = book.CancelByClientOrderId(c.Account, c.ClientOrderId, output).ToString();
                    referenceResult = reference.CancelByClientOrderId(c.Account, c.ClientOrderId).ToString();
                    break;
                case StreamOp.CancelAll c:
                    engineResult = book.CancelAll(c.Account, output).ToString();
                    referenceResult = reference.CancelAll(c.Account).ToString();
                    break;
                case StreamOp.Amend a:
                {
                    var side = book.GetOrder(a.OrderId)?.Side ?? Side.Buy;
                    var available = ledger.Available(a.Account, side);
                    engineResult = book.Amend(a.Account, a.OrderId, a.Price, a.Size, available, output).ToString();
                    referenceResult = reference.Amend(a.Account, a.OrderId, a.Price, a.Size, available).ToString();
                    break;
                }
                default:
                    height++;
                    engineResult = book.ExpireOrders(height, output).ToString();
                    referenceResult = reference.Expire(height).ToString();
                    break;
            }
            Assert.True(engineResult == referenceResult, $"seed {seed} step {step} {op}: engine {engineResult}, reference {referenceResult}");
            ledger.Apply(output);
            engineFills.AddRange(output.Fills);
            foreach (var e in output.Events)
            {
                if (e.Kind is OrderEventKind.Filled or OrderEventKind.Cancelled) engineClosed.Add((e.OrderId, e.Kind, e.Reason));
                if (e.Kind == OrderEventKind.Rejected) rejects++;
            }
            if (engineFills.Count != reference.Fills.Count || engineClosed.Count != reference.Closed.Count)
                Assert.Fail($"seed {seed} step {step} {op}: engine {engineFills.Count} fills/{engineClosed.Count} closed, reference {reference.Fills.Count}/{reference.Closed.Count}");
        }

        Assert.Equal(reference.Fills, engineFills);
        Assert.Equal(reference.Closed, engineClosed);
        foreach (var side in new[] { Side.Buy, Side.Sell })
        {
            var expected = reference.BookInPriority(side).Select(o => (o.Id, o.Price, o.Remaining, o.Locked, o.Sequence)).ToList();
            var actual = book.Orders(side).Select(o => (o.Id, o.Price, o.RemainingSize, o.Locked, o.Sequence)).ToList();
            Assert.True(expected.SequenceEqual(actual), $"seed {seed}: {side} book differs");
        }
        ledger.AssertConserved();
        ledger.AssertLocksMatch(book);

        // Closing every order returns every lock.
        output.Clear();
        foreach (var account in RandomOrderStream.Accounts) book.CancelAll(account, output);
        ledger.Apply(output);
        ledger.AssertConserved();
        ledger.AssertLocksMatch(book);
        foreach (var account in RandomOrderStream.Accounts)
        {
            Assert.True(ledger.Locked(account, Ledger.Asset.Base).IsZero && ledger.Locked(account, Ledger.Asset.Quote).IsZero, $"seed {seed}: locks left");
        }
        return new RunCounts(engineFills.Count, rejects, engineClosed.Count);
    }

    /// <summary>Runs a stream on a fresh engine with plenty of funds; returns the book and a digest of every output.</summary>
    private static (OrderBook Book, string Outputs) RunEngineOnly(MarketRules rules, List<StreamOp> ops)
    {
        var book = new OrderBook(rules);
        ulong height = 1;
        return (book, RunOn(book, ops, ref height));
    }

    private static string RunOn(OrderBook book, IEnumerable<StreamOp> ops, ref ulong height)
    {
        var output = new MatchOutput();
        var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var op in ops)
        {
            output.Clear();
            _ = op switch
            {
                StreamOp.Place p => book.Place(p.Request, height, MarketTestKit.Plenty, output).ToString(),
                StreamOp.Cancel c => book.Cancel(c.Account, c.OrderId, output).ToString(),
                StreamOp.CancelByClientId c => book.CancelByClientOrderId(c.Account, c.ClientOrderId, output).ToString(),
                StreamOp.CancelAll c => book.CancelAll(c.Account, output).ToString(),
                StreamOp.Amend a => book.Amend(a.Account, a.OrderId, a.Price, a.Size, MarketTestKit.Plenty, output).ToString(),
                _ => book.ExpireOrders(++height, output).ToString(),
            };
            foreach (var f in output.Fills) digest.AppendData(System.Text.Encoding.UTF8.GetBytes(f.ToString()));
            foreach (var e in output.Events) digest.AppendData(System.Text.Encoding.UTF8.GetBytes(e.ToString()));
        }
        return Convert.ToHexString(digest.GetHashAndReset());
    }

    [Fact]
    public void A_book_restored_from_its_orders_continues_exactly_like_the_original()
    {
        for (var seed = 1; seed <= 200; seed++)
        {
            var rules = RandomOrderStream.RulesFor(seed);
            var ops = RandomOrderStream.Generate(seed, rules, StreamLength * 2);
            var original = new OrderBook(rules);
            ulong height = 1;
            RunOn(original, ops.Take(StreamLength), ref height);

            var saved = original.Orders(Side.Buy).Concat(original.Orders(Side.Sell)).Reverse().ToList(); // any order
            var restored = OrderBook.Restore(rules, saved, 1, original.NextOrderId, original.NextSequence, original.LastTradePrice);
            Assert.Equal(original.ToCanonicalBytes(), restored.ToCanonicalBytes());

            var restoredHeight = height;
            var originalOutputs = RunOn(original, ops.Skip(StreamLength), ref height);
            var restoredOutputs = RunOn(restored, ops.Skip(StreamLength), ref restoredHeight);
            Assert.Equal(originalOutputs, restoredOutputs);
            Assert.Equal(original.ComputeHash(), restored.ComputeHash());
        }
    }

    [Fact]
    public void Restoring_inconsistent_state_is_refused()
    {
        var rules = MarketTestKit.Plain();
        var order = new OrderView(1, MarketTestKit.Alice, 0, Side.Buy, OrderType.Limit, TimeInForce.GoodTillCancel, 10, 5, 50, 1, 0, SelfTradePrevention.CancelResting);
        Assert.Equal(1, OrderBook.Restore(rules, [order], 1, 2, 2, 0).OpenOrderCount);
        Assert.Throws<ArgumentException>(() => OrderBook.Restore(rules, [order with { Locked = 49 }], 1, 2, 2, 0));
        Assert.Throws<ArgumentException>(() => OrderBook.Restore(rules, [order], 1, 1, 2, 0));
        Assert.Throws<ArgumentException>(() => OrderBook.Restore(rules, [order, order with { Id = 2 }], 1, 3, 3, 0));
        Assert.Throws<ArgumentException>(() => OrderBook.Restore(rules, [order with { TimeInForce = TimeInForce.ImmediateOrCancel }], 1, 2, 2, 0));
        var ask = order with { Id = 2, Side = Side.Sell, Price = 9, Locked = 5, Sequence = 2 };
        Assert.Throws<ArgumentException>(() => OrderBook.Restore(rules, [order, ask], 1, 3, 3, 0));
    }
}
