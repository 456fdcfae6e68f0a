using ExCraft.Chain;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.MarketData;
using ExCraft.Rpc.Methods;
using ExCraft.Rpc.Subscriptions;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using V1 = ExCraft.Grpc.V1;

namespace ExCraft.Grpc;

/// <summary>
/// excraft.v1.MarketsService: the market-data index's book and streams (docs/market-data.md), the
/// twins of JSON-RPC's market_book and market_subscribe. Each stream has a bounded queue; one that
/// falls behind gets a RESYNC message (book) and ends with RESOURCE_EXHAUSTED.
/// </summary>
public sealed class MarketsGrpcService(Blockchain chain, MarketDataIndex index, IHostApplicationLifetime lifetime) : V1.MarketsService.MarketsServiceBase
{
    public override Task<V1.BookUpdate> GetBook(V1.GetBookRequest request, ServerCallContext context)
    {
        var levels = request.Levels == 0 ? MarketMethods.DefaultDepthLevels : (int)Math.Min(request.Levels, (uint)MarketMethods.MaxBookLevels);
        return Task.FromResult(Snapshot(index.Book(ListedMarket(request.Market)), levels));
    }

    public override Task StreamBook(V1.MarketStreamRequest request, IServerStreamWriter<V1.BookUpdate> stream, ServerCallContext context)
    {
        var market = ListedMarket(request.Market);
        return RunAsync(stream, context, u => u.Books.Where(d => d.Book.Market == market).Select(Delta), () => Snapshot(index.Book(market), int.MaxValue),
            resync: reason => new V1.BookUpdate { Kind = V1.BookUpdate.Types.Kind.Resync, Market = market, Reason = reason });
    }

    public override Task StreamTrades(V1.MarketStreamRequest request, IServerStreamWriter<V1.TradesUpdate> stream, ServerCallContext context)
    {
        var market = ListedMarket(request.Market);
        return RunAsync(stream, context, u =>
        {
            var trades = u.Trades.Where(t => t.Market == market).ToList();
            if (trades.Count == 0) return [];
            var message = new V1.TradesUpdate { Market = market, Height = u.Height, TimeMs = u.TimeMs };
            message.Trades.AddRange(trades.Select(Trade));
            return [message];
        });
    }

    public override Task StreamCandles(V1.StreamCandlesRequest request, IServerStreamWriter<V1.CandleUpdate> stream, ServerCallContext context)
    {
        var market = ListedMarket(request.Market);
        var interval = CandleInterval.Parse(request.Interval)
            ?? throw GrpcStatus.InvalidArgument($"interval: must be one of {string.Join(", ", CandleInterval.All.Select(i => i.Name))}; got \"{Rpc.JsonRpc.RpcText.Echo(request.Interval)}\"");
        return RunAsync(stream, context, u => u.Candles.Where(c => c.Market == market && c.Interval == interval).Select(c => new V1.CandleUpdate
        {
            Market = market, Interval = interval.Name, OpenTimeMs = c.Candle.OpenTimeMs, Open = Units(c.Candle.Open), High = Units(c.Candle.High),
            Low = Units(c.Candle.Low), Close = Units(c.Candle.Close), Volume = Units(c.Candle.Volume), QuoteVolume = Units(c.Candle.QuoteVolume), Trades = c.Candle.Trades,
        }));
    }

    public override Task StreamOrders(V1.AccountStreamRequest request, IServerStreamWriter<V1.OrderUpdate> stream, ServerCallContext context)
    {
        var account = GrpcArguments.Address(request.Address, "address");
        var text = account.ToString();
        return RunAsync(stream, context, u =>
            u.OrderEvents.Where(e => e.Get("account") == text).Select(e => new V1.OrderUpdate
            {
                Height = u.Height, TimeMs = u.TimeMs, Type = "order", Market = e.Get("market") ?? "", Change = e.Get("change") ?? "", OrderId = ULong(e.Get("orderId")),
                Account = text, ClientOrderId = ULong(e.Get("clientOrderId")), Side = e.Get("side") ?? "", Price = e.Get("price") ?? "", Remaining = e.Get("remaining") ?? "",
                Reason = e.Get("reason") ?? "",
            }).Concat(u.FailedMarketTransactions().Where(f => f.Receipt.Sender == account).Select(f => new V1.OrderUpdate
            {
                Height = u.Height, TimeMs = u.TimeMs, Type = "transaction_failed", Account = text, Reason = f.Receipt.Error,
                TransactionHash = ByteString.CopyFrom(f.Receipt.TransactionHash),
            })));
    }

    /// <summary>
    /// An account's balances: a snapshot, then the changed assets after each committed block that
    /// touched the account (sender or named by a receipt or block event) and changed any of them,
    /// as the WebSocket "balances" stream. Balances are read from the chain's state on the index's
    /// update, under its lock, so each message is the state right after its block.
    /// </summary>
    public override Task StreamBalances(V1.AccountStreamRequest request, IServerStreamWriter<V1.BalancesUpdate> stream, ServerCallContext context)
    {
        var account = GrpcArguments.Address(request.Address, "address");
        var tracker = new AccountBalanceTracker(account);
        return RunAsync(stream, context, u =>
        {
            if (!AccountBalanceTracker.TouchedAccounts(u).Contains(account)) return [];
            var changes = tracker.Changes(chain.State);
            return changes.Count == 0 ? [] : [Balances(V1.BalancesUpdate.Types.Kind.Changes, account, u.Height, changes)];
        }, () => Balances(V1.BalancesUpdate.Types.Kind.Snapshot, account, index.Head.Height, tracker.Snapshot(chain.State)),
            resync: reason => new V1.BalancesUpdate { Kind = V1.BalancesUpdate.Types.Kind.Resync, Account = account.ToString(), Reason = reason });
    }

    private static V1.BalancesUpdate Balances(V1.BalancesUpdate.Types.Kind kind, Core.Address account, ulong height, IEnumerable<AssetBalance> balances)
    {
        var message = new V1.BalancesUpdate { Kind = kind, Account = account.ToString(), Height = height };
        message.Balances.AddRange(balances.Select(b => new V1.AssetBalance { Asset = b.Asset, Balance = Units(b.Balance), Locked = Units(b.Locked) }));
        return message;
    }

    /// <summary>Writes the feed's messages until the client goes, the node stops, or the stream falls behind.</summary>
    private async Task RunAsync<T>(IServerStreamWriter<T> stream, ServerCallContext context, Func<MarketDataUpdate, IEnumerable<T>> map, Func<T?>? first = null, Func<string, T>? resync = null)
        where T : class
    {
        using var feed = MarketFeed<T>.TryOpen(index, map, first) ?? throw GrpcStatus.Error(StatusCode.ResourceExhausted, $"too many market streams (limit {MarketFeed<T>.MaxStreams})");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var message in feed.Reader.ReadAllAsync(stop.Token)) await stream.WriteAsync(message, stop.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GrpcStatus.Error(StatusCode.Unavailable, "the node is shutting down");
        }
        if (!feed.FellBehind) return;
        var reason = $"the stream fell more than {MarketFeed<T>.Capacity} updates behind; subscribe again and start from a new snapshot";
        if (resync is not null) await stream.WriteAsync(resync(reason), stop.Token);
        throw GrpcStatus.Error(StatusCode.ResourceExhausted, reason);
    }

    private string ListedMarket(string text)
    {
        if (!MarketPairs.TryParse(text, out var b, out var q)) throw GrpcStatus.InvalidArgument($"market: must be \"BASE/QUOTE\", got \"{Rpc.JsonRpc.RpcText.Echo(text)}\"");
        return MarketsModule.Queries(chain.State).Market(b, q) is null ? throw GrpcStatus.InvalidArgument($"market: unknown market {MarketPairs.Name(b, q)}") : MarketPairs.Name(b, q);
    }

    private static V1.BookUpdate Snapshot(MarketBook book, int levels)
    {
        var message = new V1.BookUpdate { Kind = V1.BookUpdate.Types.Kind.Snapshot, Market = book.Market, Sequence = book.Sequence, Height = book.Height, Checksum = book.Checksum };
        message.Bids.AddRange(book.Bids.Take(levels).Select(l => new V1.Level { Price = Units(l.Price), Size = Units(l.Size), Orders = (uint)l.Orders }));
        message.Asks.AddRange(book.Asks.Take(levels).Select(l => new V1.Level { Price = Units(l.Price), Size = Units(l.Size), Orders = (uint)l.Orders }));
        return message;
    }

    private static V1.BookUpdate Delta(BookDelta delta)
    {
        var message = new V1.BookUpdate
        {
            Kind = V1.BookUpdate.Types.Kind.Delta, Market = delta.Book.Market, Sequence = delta.Book.Sequence, PreviousSequence = delta.Book.Sequence - 1,
            Height = delta.Book.Height, Checksum = delta.Book.Checksum,
        };
        foreach (var c in delta.Changes)
            (c.Side == Chain.Modules.Markets.Matching.Side.Buy ? message.Bids : message.Asks).Add(new V1.Level { Price = Units(c.Price), Size = Units(c.Size), Orders = (uint)c.Orders });
        return message;
    }

    private static V1.Trade Trade(IndexedTrade t) => new()
    {
        Id = t.Trade.Id, Height = t.Trade.Height, TimeMs = t.TimeMs, Buyer = t.Trade.Buyer.ToString(), Seller = t.Trade.Seller.ToString(),
        BuyOrderId = t.Trade.BuyOrderId, SellOrderId = t.Trade.SellOrderId, TakerSide = t.Trade.TakerIsBuyer ? "buy" : "sell", Price = Units(t.Trade.Price),
        BaseAmount = Units(t.Trade.BaseAmount), QuoteAmount = Units(t.Trade.QuoteAmount), BuyerFee = Units(t.Trade.BuyerFee), SellerFee = Units(t.Trade.SellerFee),
    };

    private static string Units(UInt128 value) => ChainMessages.Units(value);

    private static ulong ULong(string? text) => ulong.TryParse(text, out var n) ? n : 0;
}
