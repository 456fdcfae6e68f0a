using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core;
using ExCraft.Grpc.V1;
using ExCraft.Rpc.MarketData;
using Grpc.Core;
using static ExCraft.Integration.Tests.MarketTrading;
using MarketBook = ExCraft.Rpc.MarketData.MarketBook;

namespace ExCraft.Integration.Tests;

/// <summary>
/// excraft.v1.MarketsService on a real dev node: a StreamBook client rebuilds GetBook at the same
/// sequence from the snapshot and deltas; trades and an account's order updates (with a reject
/// reason) arrive; a bad market is INVALID_ARGUMENT.
/// </summary>
public sealed class MarketGrpcStreamTests : MarketGrpcStreamKit
{
    private static readonly Address Bob = Wallet.Dev(1).Address;

    [Fact]
    public async Task Book_trades_and_order_streams_over_grpc()
    {
        var markets = new MarketsService.MarketsServiceClient(Channel);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        using var bookCall = markets.StreamBook(new MarketStreamRequest { Market = Market }, cancellationToken: stop.Token);
        using var tradesCall = markets.StreamTrades(new MarketStreamRequest { Market = Market }, cancellationToken: stop.Token);
        using var ordersCall = markets.StreamOrders(new AccountStreamRequest { Address = Bob.ToString() }, cancellationToken: stop.Token);
        var book = new List<BookUpdate>();
        var trades = new List<TradesUpdate>();
        var orders = new List<OrderUpdate>();
        var readers = new[] { Collect(bookCall.ResponseStream, book, stop.Token), Collect(tradesCall.ResponseStream, trades, stop.Token), Collect(ordersCall.ResponseStream, orders, stop.Token) };
        await Until.TrueAsync(() => Task.FromResult(Count(book) > 0), Wait, "the book snapshot");

        await SendOkAsync(Node.Rpc, 0, Limit(false, 2 * Ext, 5 * Ore), 0);
        await SendOkAsync(Node.Rpc, 0, Limit(false, 3 * Ext, 5 * Ore), 1);
        await SendOkAsync(Node.Rpc, 1, Limit(true, 2 * Ext, 3 * Ore), 0);
        await SendOkAsync(Node.Rpc, 1, PostOnly(true, 3 * Ext, 1 * Ore), 1);

        var expected = await markets.GetBookAsync(new GetBookRequest { Market = Market, Levels = 5000 });
        await Until.TrueAsync(() => Task.FromResult(Snapshot(book).Any(u => u.Sequence == expected.Sequence)), Wait, $"book sequence {expected.Sequence}");
        var updates = Snapshot(book);
        Assert.Equal(BookUpdate.Types.Kind.Snapshot, updates[0].Kind);
        var rebuilt = new MarketBook(Market, updates[0].Sequence, 0, Levels(updates[0].Bids), Levels(updates[0].Asks));
        foreach (var delta in updates.Skip(1).TakeWhile(u => u.Sequence <= expected.Sequence))
        {
            Assert.Equal(BookUpdate.Types.Kind.Delta, delta.Kind);
            Assert.Equal(rebuilt.Sequence, delta.PreviousSequence);
            rebuilt = rebuilt.Apply(delta.Sequence, delta.Height,
                [.. Levels(delta.Bids).Select(l => new LevelChange(Side.Buy, l.Price, l.Size, l.Orders)), .. Levels(delta.Asks).Select(l => new LevelChange(Side.Sell, l.Price, l.Size, l.Orders))]);
            Assert.Equal(delta.Checksum, rebuilt.Checksum);
        }
        Assert.Equal(expected.Sequence, rebuilt.Sequence);
        Assert.Equal(Levels(expected.Asks), rebuilt.Asks);
        Assert.Equal(Levels(expected.Bids), rebuilt.Bids);
        Assert.Equal(expected.Checksum, rebuilt.Checksum);
        Assert.Equal([new DepthLevel(2 * Ext, 2 * Ore, 1), new DepthLevel(3 * Ext, 5 * Ore, 1)], rebuilt.Asks);

        await Until.TrueAsync(() => Task.FromResult(Count(trades) == 1), Wait, "the trade");
        var trade = Assert.Single(Snapshot(trades)[0].Trades);
        Assert.Equal(((2 * Ext).ToString(), (3 * Ore).ToString(), "buy"), (trade.Price, trade.BaseAmount, trade.TakerSide));
        await Until.TrueAsync(() => Task.FromResult(Snapshot(orders).Any(o => o.Change == "rejected")), Wait, "the post-only rejection");
        Assert.Equal("post_only_would_cross", Snapshot(orders).Single(o => o.Change == "rejected").Reason);
        Assert.Contains(Snapshot(orders), o => o.Change == "filled" && o.OrderId == 3);

        var bad = await Assert.ThrowsAsync<RpcException>(() => markets.GetBookAsync(new GetBookRequest { Market = "NOPE/EXT" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        await stop.CancelAsync();
        foreach (var reader in readers) await reader;
    }

    private static List<DepthLevel> Levels(IEnumerable<Level> levels) =>
        [.. levels.Select(l => new DepthLevel(UInt128.Parse(l.Price), UInt128.Parse(l.Size), (int)l.Orders))];
}
