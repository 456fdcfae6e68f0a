using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ExCraft.Cli.Commands;

/// <summary>
/// The markets module's read commands: excraft market list | show | params, excraft book, excraft trades
/// (docs/cli.md "Markets"). Amounts are shown in decimal units of their asset; --json prints the
/// node's market_* answer unchanged (base-unit strings).
/// </summary>
public static class MarketCommands
{
    public const int DefaultTrades = 20;

    public static IEnumerable<Command> Create(CliCommandFactory factory) =>
    [
        new Command("market", "The markets of the on-chain exchange") { List(factory), Show(factory), MarketParamsCommands.Create(factory) },
        Book(factory),
        Trades(factory),
    ];

    private static Command List(CliCommandFactory factory)
    {
        var command = new Command("list", "List every market: status, mode, tick, lot, min notional, fees and last price");
        factory.SetAction(command, async (_, context) =>
        {
            var result = await context.Node.MarketsAsync();
            var markets = new List<MarketInfo>();
            if (!context.Output.Json)
                foreach (var m in result.OfType<JsonObject>()) markets.Add(await MarketInfo.FromAsync(context.Node, m));
            context.Output.Result(result, output =>
            {
                if (markets.Count == 0) output.Line("No markets.");
                else output.Table(["market", "status", "mode", "tick", "lot", "min notional", "maker fee", "taker fee", "last price"], markets.Select(m => (IReadOnlyList<string>)
                [
                    m.Pair, m.Json.String("status"), m.Json.String("mode"), $"{m.FormatPrice(m.TickSize)} {m.Quote}", $"{m.FormatBase(m.LotSize)} {m.Base}",
                    $"{m.FormatQuote(m.MinNotional)} {m.Quote}", MarketInfo.Rate(m.Json.UInt64("makerFeePpm")), MarketInfo.Rate(m.Json.UInt64("takerFeePpm")),
                    LastPrice(m),
                ]));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliCommandFactory factory)
    {
        var market = MarketInfo.Argument();
        var command = new Command("show", "Show one market's parameters, last trade price, next order id and trade count") { market };
        factory.SetAction(command, async (parse, context) =>
        {
            var m = await MarketInfo.LoadAsync(context.Node, parse.GetValue(market)!);
            context.Output.Result(m.Json, output => output.Fields(
            [
                ("market", m.Pair),
                ("status", m.Json.String("status")),
                ("mode", m.Json.String("mode")),
                ("tick size", $"{m.FormatPrice(m.TickSize)} {m.Quote}"),
                ("lot size", $"{m.FormatBase(m.LotSize)} {m.Base}"),
                ("min notional", $"{m.FormatQuote(m.MinNotional)} {m.Quote}"),
                ("maker fee", MarketInfo.Rate(m.Json.UInt64("makerFeePpm"))),
                ("taker fee", MarketInfo.Rate(m.Json.UInt64("takerFeePpm"))),
                ("last price", LastPrice(m)),
                ("next order id", m.Json.UInt64("nextOrderId").ToString(CultureInfo.InvariantCulture)),
                ("trades", m.Json.UInt64("tradeCount").ToString(CultureInfo.InvariantCulture)),
            ]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Book(CliCommandFactory factory)
    {
        var market = MarketInfo.Argument();
        var levels = new Option<int>("--levels")
        {
            Description = "Price levels per side, 1 to 500",
            HelpName = "N",
            DefaultValueFactory = _ => 10,
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > 500) r.AddError("--levels: must be 1 to 500"); } },
        };
        var command = new Command("book", "Show a market's order book: the best N price levels of each side, asks above bids") { market, levels };
        factory.SetAction(command, async (parse, context) =>
        {
            var m = await MarketInfo.LoadAsync(context.Node, parse.GetValue(market)!);
            var depth = await context.Node.DepthAsync(m.Pair, parse.GetValue(levels));
            var asks = (depth["asks"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var bids = (depth["bids"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            context.Output.Result(depth, output =>
            {
                output.Line($"{m.Pair} at height {depth.UInt64("height")}");
                if (asks.Count == 0 && bids.Count == 0)
                {
                    output.Line("The book is empty.");
                    return;
                }
                // A ladder: the highest ask on top, the best ask and best bid meet in the middle.
                var rows = new List<IReadOnlyList<string>>();
                rows.AddRange(Enumerable.Reverse(asks).Select(l => Level("ask", l, m)));
                rows.AddRange(bids.Select(l => Level("bid", l, m)));
                output.Table(["side", $"price ({m.Quote})", $"size ({m.Base})", "orders"], rows);
                if (asks.Count > 0 && bids.Count > 0)
                    output.Line($"spread {m.FormatPrice(asks[0].Units("price") - bids[0].Units("price"))} {m.Quote}");
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Trades(CliCommandFactory factory)
    {
        var market = MarketInfo.Argument();
        var from = new Option<ulong?>("--from") { Description = "First trade id to show [default: the latest trades]", HelpName = "ID" };
        var limit = new Option<int>("--limit")
        {
            Description = "Most trades to show, 1 to 1000",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultTrades,
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--limit: must be 1 to 1000"); } },
        };
        var command = new Command("trades", "Show a market's trades, oldest first: the latest N, or N from a trade id") { market, from, limit };
        factory.SetAction(command, async (parse, context) =>
        {
            var m = await MarketInfo.LoadAsync(context.Node, parse.GetValue(market)!);
            var count = parse.GetValue(limit);
            // Trade ids run from 1 to tradeCount; the latest N start at tradeCount - N + 1.
            var total = m.Json.UInt64("tradeCount");
            var first = parse.GetValue(from) ?? (total > (ulong)count ? total - (ulong)count + 1 : 1);
            var trades = await context.Node.TradesAsync(m.Pair, Math.Max(first, 1), count);
            context.Output.Result(trades, output =>
            {
                var items = trades.OfType<JsonObject>().ToList();
                if (items.Count == 0) output.Line($"No trades on {m.Pair}{(parse.GetValue(from) is { } f ? $" from id {f}" : "")}.");
                else output.Table(["id", "height", "taker", $"price ({m.Quote})", $"size ({m.Base})", $"value ({m.Quote})", "buyer", "seller", $"buyer fee ({m.Base})", $"seller fee ({m.Quote})"],
                    items.Select(t => (IReadOnlyList<string>)
                    [
                        t.UInt64("id").ToString(CultureInfo.InvariantCulture), t.UInt64("height").ToString(CultureInfo.InvariantCulture), t.String("takerSide"),
                        m.FormatPrice(t.Units("price")), m.FormatBase(t.Units("baseAmount")), m.FormatQuote(t.Units("quoteAmount")),
                        t.String("buyer"), t.String("seller"), m.FormatBase(t.Units("buyerFee")), m.FormatQuote(t.Units("sellerFee")),
                    ]));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<string> Level(string side, JsonObject level, MarketInfo m) =>
        [side, m.FormatPrice(level.Units("price")), m.FormatBase(level.Units("size")), level.UInt64("orders").ToString(CultureInfo.InvariantCulture)];

    private static string LastPrice(MarketInfo m) => m.Json.Units("lastTradePrice") is var p && p != 0 ? $"{m.FormatPrice(p)} {m.Quote}" : "none";
}
