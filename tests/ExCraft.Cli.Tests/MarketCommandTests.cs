using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Cli.Tests;

/// <summary>
/// excraft market | order | book | trades against a real dev node (<see cref="NodeFixture"/>) and
/// its genesis ORE/EXT market (ORE 6 decimals, tick 0.001 EXT, lot 0.01 ORE, min notional 1 EXT,
/// maker 0.1%, taker 0.2%). The tests share the one book, so each keeps to its own price band
/// (trades around 2.5 EXT, resting bids at 0.5 EXT: neither crosses the other) and its own dev
/// accounts, and leaves none of its orders open. Every order command uses --wait, so what is
/// asserted afterwards is committed.
/// </summary>
public sealed class MarketCommandTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static readonly UInt128 TxFee = Amount.Parse("0.00001");

    private static string Dev(int index) => DevKeys.Account(index).Address.ToString();

    private static UInt128 Ore(string text) => Amount.Parse(text, 6);

    private static UInt128 Ext(string text) => Amount.Parse(text);

    private static UInt128 Units(JsonNode? value) => UInt128.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture);

    private async Task<CliRun> Run(int exitCode, params string[] args)
    {
        var run = await TestCli.RunAsync([.. args, "--rpc", node.Rpc]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode} from 'excraft {string.Join(' ', args)}', got {run}\nnode log:\n{node.Log}");
        return run;
    }

    private async Task<UInt128> Balance(int dev, string asset) =>
        Units((await Run(0, "balance", Dev(dev), "--asset", asset, "--json")).Json["balance"]);

    private async Task<(UInt128 Ore, UInt128 Ext)> Balances(int dev) => (await Balance(dev, "ORE"), await Balance(dev, "EXT"));

    private async Task<JsonArray> OpenOrders(int dev) => (await Run(0, "order", "list", Dev(dev), "--json")).Json.AsArray();

    [Fact]
    public async Task Market_list_and_show_print_the_genesis_market_in_asset_units()
    {
        var list = await Run(0, "market", "list");
        Assert.Matches(@"(?m)^market\s+status\s+mode\s+tick\s+lot\s+min notional\s+maker fee\s+taker fee\s+last price$", list.Out);
        Assert.Matches(@"(?m)^ORE/EXT\s+active\s+continuous\s+0\.001 EXT\s+0\.01 ORE\s+1 EXT\s+0\.1%\s+0\.2%\s+\S", list.Out);

        var json = (await Run(0, "market", "list", "--json")).Json.AsArray();
        var ore = Assert.Single(json, m => m!["market"]!.GetValue<string>() == "ORE/EXT")!;
        Assert.Equal(Ext("0.001"), Units(ore["tickSize"]));
        Assert.Equal(Ore("0.01"), Units(ore["lotSize"]));

        var show = await Run(0, "market", "show", "ORE/EXT");
        Assert.Matches(@"(?m)^tick size\s+0\.001 EXT$", show.Out);
        Assert.Matches(@"(?m)^min notional\s+1 EXT$", show.Out);
        Assert.Matches(@"(?m)^taker fee\s+0\.2%$", show.Out);
        Assert.Equal(1000u, (await Run(0, "market", "show", "ORE/EXT", "--json")).Json["makerFeePpm"]!.GetValue<uint>());
    }

    [Fact]
    public async Task Crossing_orders_trade_at_the_resting_price_with_exact_balances_and_a_cancel_returns_the_rest()
    {
        var (sellerOre, sellerExt) = await Balances(1);
        var (buyerOre, buyerExt) = await Balances(2);

        // dev:1 rests 10 ORE at 2.5 EXT with client id 71.
        var sell = (await Run(0, "order", "place", "ORE/EXT", "--side", "sell", "--price", "2.5", "--size", "10", "--client-id", "71", "--from", "dev:1", "--wait", "--json")).Json;
        Assert.Equal("rested", sell["order"]!["status"]!.GetValue<string>());
        var sellId = sell["order"]!["id"]!.GetValue<ulong>();
        var book = await Run(0, "book", "ORE/EXT");
        Assert.Matches(@"(?m)^ask\s+2\.5\s+10\s+1$", book.Out);

        // dev:2 buys 4 ORE with a limit of 2.55: it takes at the resting 2.5.
        var buy = await Run(0, "order", "place", "ORE/EXT", "--side", "buy", "--price", "2.55", "--size", "4", "--from", "dev:2", "--wait");
        Assert.Matches(@"(?m)^order status\s+filled$", buy.Out);
        Assert.Matches(@"(?m)^filled\s+4 ORE in 1 trade\(s\)$", buy.Out);

        var trades = (await Run(0, "trades", "ORE/EXT", "--json")).Json.AsArray();
        var trade = trades[^1]!;
        Assert.Equal(Dev(2), trade["buyer"]!.GetValue<string>());
        Assert.Equal(Dev(1), trade["seller"]!.GetValue<string>());
        Assert.Equal(sellId, trade["sellOrderId"]!.GetValue<ulong>());
        Assert.Equal("buy", trade["takerSide"]!.GetValue<string>());
        Assert.Equal(Ext("2.5"), Units(trade["price"]));
        Assert.Equal(Ore("4"), Units(trade["baseAmount"]));
        Assert.Equal(Ext("10"), Units(trade["quoteAmount"]));
        Assert.Equal(Ore("0.008"), Units(trade["buyerFee"])); // taker 0.2% of the 4 ORE received
        Assert.Equal(Ext("0.01"), Units(trade["sellerFee"])); // maker 0.1% of the 10 EXT received
        var tradeId = trade["id"]!.GetValue<ulong>().ToString(CultureInfo.InvariantCulture);
        var table = await Run(0, "trades", "ORE/EXT");
        Assert.Matches($@"(?m)^{tradeId}\s+\d+\s+buy\s+2\.5\s+4\s+10\s+{Dev(2)}\s+{Dev(1)}\s+0\.008\s+0\.01$", table.Out);
        Assert.Matches(@"(?m)^ask\s+2\.5\s+6\s+1$", (await Run(0, "book", "ORE/EXT")).Out);

        // A market buy spending at most 5.01 EXT takes 2 ORE (2.01 would cost 5.025).
        var budget = (await Run(0, "order", "place", "ORE/EXT", "--side", "buy", "--type", "market", "--quote-budget", "5.01", "--from", "dev:2", "--wait", "--json")).Json;
        Assert.Equal(Ore("2").ToString(CultureInfo.InvariantCulture), budget["order"]!["filled"]!.GetValue<string>());

        var open = Assert.Single(await OpenOrders(1))!;
        Assert.Equal(sellId, open["id"]!.GetValue<ulong>());
        Assert.Equal(Ore("4"), Units(open["remaining"]));
        Assert.Equal(Ore("4"), Units(open["locked"]));
        Assert.Matches($@"(?m)^ORE/EXT\s+{sellId}\s+sell\s+2\.5 EXT\s+4 ORE\s+4 ORE\s+71\s+never$", (await Run(0, "order", "list", Dev(1))).Out);

        // Cancel by client id: the 4 ORE return.
        var cancel = (await Run(0, "order", "cancel", "ORE/EXT", "--client-id", "71", "--from", "dev:1", "--wait", "--json")).Json;
        Assert.Equal(sellId, cancel["cancelled"]![0]!["id"]!.GetValue<ulong>());
        Assert.Equal(Ore("4"), Units(cancel["cancelled"]![0]!["released"]));
        Assert.Empty(await OpenOrders(1));
        Assert.Matches("has no open orders", (await Run(0, "order", "list", Dev(1))).Out);

        // Seller: gave 6 ORE, got 10 + 5 EXT less the maker fees and two transaction fees.
        Assert.Equal(sellerOre - Ore("6"), await Balance(1, "ORE"));
        Assert.Equal(sellerExt + Ext("15") - Ext("0.01") - Ext("0.005") - 2 * TxFee, await Balance(1, "EXT"));
        // Buyer: got 6 ORE less the taker fees, paid 15 EXT and two transaction fees (the unused lock came back).
        Assert.Equal(buyerOre + Ore("6") - Ore("0.008") - Ore("0.004"), await Balance(2, "ORE"));
        Assert.Equal(buyerExt - Ext("15") - 2 * TxFee, await Balance(2, "EXT"));
        Assert.Empty(await OpenOrders(2));
    }

    [Fact]
    public async Task A_resting_bid_locks_funds_amend_releases_some_crossing_post_only_and_unfillable_fok_are_refused_and_cancel_returns_all()
    {
        var ext = await Balance(3, "EXT");

        // 10 ORE at 0.5 EXT locks 5 EXT.
        var bid = (await Run(0, "order", "place", "ORE/EXT", "--side", "buy", "--price", "0.5", "--size", "10", "--from", "dev:3", "--wait", "--json")).Json;
        var id = bid["order"]!["id"]!.GetValue<ulong>();
        Assert.Equal(ext - Ext("5") - TxFee, await Balance(3, "EXT"));
        Assert.Equal(Ext("5"), Units(Assert.Single(await OpenOrders(3))!["locked"]));

        // A smaller size at the same price releases the difference.
        var amend = await Run(0, "order", "amend", "ORE/EXT", "--id", id.ToString(CultureInfo.InvariantCulture), "--size", "4", "--from", "dev:3", "--wait");
        Assert.Matches(@"(?m)^order status\s+amended$", amend.Out);
        Assert.Equal(ext - Ext("2") - 2 * TxFee, await Balance(3, "EXT"));
        Assert.Matches($@"(?m)^ORE/EXT\s+{id}\s+buy\s+0\.5 EXT\s+4 ORE\s+2 EXT\s+never$", (await Run(0, "order", "list", Dev(3), "--market", "ORE/EXT")).Out);

        // A post-only sell at 0.5 would cross the bid: refused at matching, exit 3, the ORE it reserved returns.
        // (dev:1, not dev:0: dev:0 is the markets authority, which receives fee shares at an epoch end.)
        var ore1 = await Balance(1, "ORE");
        var refused = await Run(3, "order", "place", "ORE/EXT", "--side", "sell", "--price", "0.5", "--size", "2", "--post-only", "--from", "dev:1", "--wait");
        Assert.Contains("order rejected at matching", refused.Error);
        Assert.Contains("post_only_would_cross", refused.Error);
        Assert.Equal(ore1, await Balance(1, "ORE"));
        Assert.Empty(await OpenOrders(1));

        // A fill-or-kill sell of 10 cannot fill against the 4 bid: refused whole, the bid untouched.
        var fok = await Run(3, "order", "place", "ORE/EXT", "--side", "sell", "--price", "0.5", "--size", "10", "--tif", "fok", "--from", "dev:1", "--wait", "--json");
        Assert.Equal("rejected", fok.Json["order"]!["status"]!.GetValue<string>());
        Assert.Equal("fill_or_kill_not_fillable", fok.Json["order"]!["reason"]!.GetValue<string>());
        Assert.Equal(ore1, await Balance(1, "ORE"));
        Assert.Equal(Ore("4"), Units(Assert.Single(await OpenOrders(3))!["remaining"]));

        // Cancel by id: everything locked returns.
        var cancel = await Run(0, "order", "cancel", "ORE/EXT", "--id", id.ToString(CultureInfo.InvariantCulture), "--from", "dev:3", "--wait");
        Assert.Matches($@"(?m)^cancelled\s+ORE/EXT #{id}$", cancel.Out);
        Assert.Empty(await OpenOrders(3));
        Assert.Equal(ext - 3 * TxFee, await Balance(3, "EXT"));

        // Cancelling it again fails in its block (exit 3, fee paid) and changes nothing else.
        var again = await Run(3, "order", "cancel", "ORE/EXT", "--id", id.ToString(CultureInfo.InvariantCulture), "--from", "dev:3", "--wait");
        Assert.Contains($"order {id} is not open on ORE/EXT", again.Error);
        Assert.Equal(ext - 4 * TxFee, await Balance(3, "EXT"));
    }

    [Fact]
    public async Task Cancel_all_cancels_every_open_order_of_the_account()
    {
        await Run(0, "order", "place", "ORE/EXT", "--side", "buy", "--price", "0.4", "--size", "5", "--from", "dev:0", "--wait");
        await Run(0, "order", "place", "ORE/EXT", "--side", "buy", "--price", "0.45", "--size", "5", "--from", "dev:0", "--wait");
        Assert.Equal(2, (await OpenOrders(0)).Count);
        var all = (await Run(0, "order", "cancel-all", "--from", "dev:0", "--wait", "--json")).Json;
        Assert.Equal(2, all["cancelled"]!.AsArray().Count);
        Assert.Empty(await OpenOrders(0));
    }

    [Theory]
    [InlineData(1, "--price: 2.0005 is not a multiple of the tick size 0.001 EXT of ORE/EXT", "order", "place", "ORE/EXT", "--side", "buy", "--price", "2.0005", "--size", "1")]
    [InlineData(1, "--price: '2.0000000000000000001' has 19 decimal places; EXT has 18", "order", "place", "ORE/EXT", "--side", "buy", "--price", "2.0000000000000000001", "--size", "1")]
    [InlineData(1, "--size: '1.0000001' has 7 decimal places; ORE has 6", "order", "place", "ORE/EXT", "--side", "sell", "--price", "2", "--size", "1.0000001")]
    [InlineData(1, "--size: 0.005 is not a multiple of the lot size 0.01 ORE of ORE/EXT", "order", "place", "ORE/EXT", "--side", "sell", "--price", "2", "--size", "0.005")]
    [InlineData(1, "below the minimum notional 1 EXT of ORE/EXT", "order", "place", "ORE/EXT", "--side", "buy", "--price", "2", "--size", "0.1")]
    [InlineData(1, "--price: 'abc' is not a decimal amount", "order", "place", "ORE/EXT", "--side", "buy", "--price", "abc", "--size", "1")]
    [InlineData(1, "--price is required for a limit order", "order", "place", "ORE/EXT", "--side", "buy", "--size", "1")]
    [InlineData(1, "--quote-budget is only for a market buy", "order", "place", "ORE/EXT", "--side", "sell", "--type", "market", "--quote-budget", "5")]
    [InlineData(1, "--post-only is a time in force of its own", "order", "place", "ORE/EXT", "--side", "buy", "--price", "1", "--size", "2", "--post-only", "--tif", "ioc")]
    [InlineData(1, "--side: 'up' is not one of buy, sell", "order", "place", "ORE/EXT", "--side", "up", "--price", "1", "--size", "2")]
    [InlineData(1, "MARKET: 'OREEXT' is not BASE/QUOTE", "order", "place", "OREEXT", "--side", "buy", "--price", "1", "--size", "2")]
    [InlineData(5, "unknown market ORE/GOLD", "order", "place", "ORE/GOLD", "--side", "buy", "--price", "1", "--size", "2")]
    [InlineData(1, "give exactly one of --id and --client-id", "order", "cancel", "ORE/EXT")]
    [InlineData(5, "order 999999 is not open on ORE/EXT", "order", "amend", "ORE/EXT", "--id", "999999", "--size", "1")]
    [InlineData(5, "unknown market ORE/GOLD", "book", "ORE/GOLD")]
    [InlineData(1, "--levels: must be 1 to 500", "book", "ORE/EXT", "--levels", "0")]
    [InlineData(5, "unknown market ORE/GOLD", "trades", "ORE/GOLD")]
    [InlineData(5, "unknown market ORE/GOLD", "market", "show", "ORE/GOLD")]
    public async Task Bad_input_is_refused_with_a_clear_error_and_sends_nothing(int exitCode, string message, params string[] args)
    {
        // dev:5 signs the places, cancels and amends: its nonce shows nothing was sent.
        var sender = args[0] == "order" ? new[] { "--from", "dev:5" } : [];
        var nonceBefore = (await Run(0, "nonce", Dev(5), "--json")).Json["pending"]!.GetValue<ulong>();
        var run = await Run(exitCode, [.. args, .. sender]);
        Assert.Contains(message, run.Error);
        Assert.Equal("", run.Out);
        Assert.Equal(nonceBefore, (await Run(0, "nonce", Dev(5), "--json")).Json["pending"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task Book_and_trades_json_parse_and_an_empty_market_reads_as_empty()
    {
        var depth = (await Run(0, "book", "ORE/EXT", "--levels", "3", "--json")).Json;
        Assert.Equal("ORE/EXT", depth["market"]!.GetValue<string>());
        Assert.True(depth["height"]!.GetValue<ulong>() >= 1);
        Assert.NotNull(depth["bids"]!.AsArray());
        Assert.NotNull(depth["asks"]!.AsArray());
        var none = await Run(0, "trades", "ORE/EXT", "--from", "1000000");
        Assert.Contains("No trades on ORE/EXT from id 1000000.", none.Out);
        Assert.Empty((await Run(0, "trades", "ORE/EXT", "--from", "1000000", "--json")).Json.AsArray());
    }
}
