using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Integration.Tests.MarketTrading;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The market-data index on a real dev node: two trades give the candles, ticker, trades by time
/// and order history they should (checked against the trades' own block times), bad parameters are
/// invalid-params errors, and after a restart every answer is the same.
/// </summary>
public sealed class MarketDataTests : NodeTest
{
    private static readonly Address Alice = Wallet.Dev(0).Address;
    private static readonly Address Bob = Wallet.Dev(1).Address;

    [Fact]
    public async Task Trades_give_candles_ticker_and_history_and_a_restart_gives_the_same_answers()
    {
        await SendOkAsync(Rpc, 0, Limit(false, 2 * Ext, 5 * Ore), 0);   // order 1
        await SendOkAsync(Rpc, 0, Limit(false, 3 * Ext, 5 * Ore), 1);   // order 2
        await SendOkAsync(Rpc, 1, Limit(true, 2 * Ext, 5 * Ore), 0);    // order 3: fills order 1 at 2
        await SendOkAsync(Rpc, 1, Limit(true, 3 * Ext, 5 * Ore), 1);    // order 4: fills order 2 at 3
        await SendOkAsync(Rpc, 0, Limit(false, 10 * Ext, 1 * Ore), 2);  // order 5 rests
        await SendOkAsync(Rpc, 1, PostOnly(true, 10 * Ext, 1 * Ore), 2); // would cross: rejected at matching
        await SendOkAsync(Rpc, 0, new CancelOrderPayload("ORE", "EXT", 5, 0), 3);

        // Trades by time carry the block time the candles are built from.
        var page = (await Rpc.CallAsync("market_tradesByTime", Market, 0, null, 1))!;
        var first = Assert.Single(page["trades"]!.AsArray())!;
        Assert.Equal(1ul, page["next"]!.GetValue<ulong>());
        var rest = (await Rpc.CallAsync("market_tradesByTime", Market, 0, null, 10, 1))!;
        Assert.Null(rest["next"]);
        var trades = new[] { first }.Concat(rest["trades"]!.AsArray()).ToList();
        Assert.Equal([(2 * Ext).ToString(), (3 * Ext).ToString()], trades.Select(t => t!["price"]!.GetValue<string>()));
        var times = trades.Select(t => t!["timeMs"]!.GetValue<ulong>()).ToList();
        Assert.True(times[0] > 0 && times[1] >= times[0]);

        // Candles: the reference is the two trades grouped by the interval's start.
        foreach (var (interval, ms) in new[] { ("1m", 60_000ul), ("5m", 300_000ul), ("1h", 3_600_000ul), ("1d", 86_400_000ul) })
        {
            var candles = (await Rpc.CallAsync("market_candles", Market, interval))!.AsArray();
            var expected = trades.GroupBy(t => t!["timeMs"]!.GetValue<ulong>() / ms * ms).ToList();
            Assert.Equal(expected.Count, candles.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var group = expected[i].ToList();
                var c = candles[i]!;
                Assert.Equal(expected[i].Key, c["openTimeMs"]!.GetValue<ulong>());
                Assert.Equal(group[0]!["price"]!.GetValue<string>(), c["open"]!.GetValue<string>());
                Assert.Equal(group[^1]!["price"]!.GetValue<string>(), c["close"]!.GetValue<string>());
                Assert.Equal(group.Max(t => UInt128.Parse(t!["price"]!.GetValue<string>())).ToString(), c["high"]!.GetValue<string>());
                Assert.Equal(group.Min(t => UInt128.Parse(t!["price"]!.GetValue<string>())).ToString(), c["low"]!.GetValue<string>());
                Assert.Equal(((UInt128)group.Count * 5 * Ore).ToString(), c["volume"]!.GetValue<string>());
                Assert.Equal(group.Count, c["trades"]!.GetValue<int>());
            }
        }

        var ticker = (await Rpc.CallAsync("market_ticker", Market))!;
        Assert.Equal((3 * Ext).ToString(), ticker["last"]!.GetValue<string>());
        Assert.Equal((2 * Ext).ToString(), ticker["open"]!.GetValue<string>());
        Assert.Equal((3 * Ext).ToString(), ticker["high"]!.GetValue<string>());
        Assert.Equal((2 * Ext).ToString(), ticker["low"]!.GetValue<string>());
        Assert.Equal(Ext.ToString(), ticker["change"]!.GetValue<string>());
        Assert.Equal("500000", ticker["changePpm"]!.GetValue<string>());
        Assert.Equal((10 * Ore).ToString(), ticker["volume"]!.GetValue<string>());
        Assert.Equal((25 * Ext).ToString(), ticker["quoteVolume"]!.GetValue<string>());
        Assert.Equal(2, ticker["trades"]!.GetValue<int>());

        // History: Alice's two filled sells and her cancelled one; Bob's two filled buys and the rejected post-only, newest first.
        var alice = (await Rpc.CallAsync("market_orderHistory", Alice.ToString()))!["orders"]!.AsArray();
        Assert.Equal([(5ul, "cancelled", "cancelled_by_owner", "0"), (2ul, "filled", "", (5 * Ore).ToString()), (1ul, "filled", "", (5 * Ore).ToString())],
            alice.Select(o => (o!["id"]!.GetValue<ulong>(), o["status"]!.GetValue<string>(), o["reason"]!.GetValue<string>(), o["filled"]!.GetValue<string>())));
        var bob = (await Rpc.CallAsync("market_orderHistory", Bob.ToString(), Market, 10))!["orders"]!.AsArray();
        Assert.Equal([(0ul, "rejected", "post_only_would_cross"), (4ul, "filled", ""), (3ul, "filled", "")],
            bob.Select(o => (o!["id"]!.GetValue<ulong>(), o["status"]!.GetValue<string>(), o["reason"]!.GetValue<string>())));
        var paged = (await Rpc.CallAsync("market_orderHistory", Bob.ToString(), null, 2))!;
        Assert.Equal(2, paged["orders"]!.AsArray().Count);
        var last = (await Rpc.CallAsync("market_orderHistory", Bob.ToString(), null, 2, paged["next"]!.GetValue<ulong>()))!;
        Assert.Equal(3ul, Assert.Single(last["orders"]!.AsArray())!["id"]!.GetValue<ulong>());
        Assert.Null(last["next"]);
        var closed = (await Rpc.CallAsync("market_orderStatus", Market, 5))!;
        Assert.Equal(("cancelled", (1 * Ore).ToString()), (closed["status"]!.GetValue<string>(), closed["remaining"]!.GetValue<string>()));
        Assert.Null(await Rpc.CallAsync("market_orderStatus", Market, 99));

        var book = (await Rpc.CallAsync("market_book", Market, 10))!;
        Assert.Empty(book["bids"]!.AsArray());
        Assert.Empty(book["asks"]!.AsArray());
        Assert.True(book["sequence"]!.GetValue<ulong>() >= 5);

        var before = await AnswersAsync();
        await Node.StopAsync();
        await Node.StartAsync();
        Assert.Equal(before, await AnswersAsync());
    }

    /// <summary>Everything the index answers that does not move with the head (the ticker's head time and window do).</summary>
    private async Task<string> AnswersAsync()
    {
        var ticker = (await Rpc.CallAsync("market_ticker", Market))!.AsObject();
        foreach (var moving in new[] { "height", "timeMs", "windowStartMs" }) ticker.Remove(moving);
        var book = (await Rpc.CallAsync("market_book", Market, 100))!.AsObject();
        book.Remove("height");
        var answers = new List<JsonNode?>
        {
            await Rpc.CallAsync("market_orderHistory", Alice.ToString()), await Rpc.CallAsync("market_orderHistory", Bob.ToString()),
            await Rpc.CallAsync("market_tradesByTime", Market), await Rpc.CallAsync("market_candles", Market, "1m"),
            await Rpc.CallAsync("market_candles", Market, "1d"), await Rpc.CallAsync("market_orderStatus", Market, 5), ticker, book,
        };
        return string.Join("\n", answers.Select(a => a?.ToJsonString()));
    }

    [Fact]
    public async Task Bad_parameters_are_invalid_params_errors()
    {
        foreach (var (method, args) in new (string, object?[])[]
        {
            ("market_candles", [Market, "2m"]),
            ("market_candles", [Market, "1m", 10, 5]),
            ("market_candles", ["NOPE/EXT", "1m"]),
            ("market_candles", [Market, "1m", -1]),
            ("market_ticker", ["OREEXT"]),
            ("market_book", [Market, 0]),
            ("market_book", [Market, 5001]),
            ("market_bookOrders", ["EXT/ORE"]),
            ("market_tradesByTime", [Market, 10, 5]),
            ("market_orderHistory", ["ext1notanaddress"]),
            ("market_orderHistory", [Alice.ToString(), null, 0]),
            ("market_orderStatus", [Market, "one"]),
        })
        {
            var response = await Rpc.CallRawAsync(method, args);
            Assert.True(response["error"]?["code"]?.GetValue<int>() == -32602, $"{method} {System.Text.Json.JsonSerializer.Serialize(args)}: {response.ToJsonString()}");
        }
        var message = (await Rpc.CallRawAsync("market_candles", Market, "2m"))["error"]!["message"]!.GetValue<string>();
        Assert.Contains("1m, 5m, 1h, 1d", message);
    }
}
