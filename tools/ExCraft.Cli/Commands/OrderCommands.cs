using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft order place | cancel | cancel-all | amend | list | agent: signed order transactions of the
/// markets module, sent through <see cref="TransactionSender"/> (with --as, by an agent key for its
/// account), an account's open orders, and agent keys (docs/cli.md "Markets"). Prices and sizes are decimal amounts of the market's assets, checked
/// against the market's decimals, tick, lot and min notional before anything is signed.
/// </summary>
public static class OrderCommands
{
    public static Command Create(CliCommandFactory factory) =>
        new("order", "Place, cancel, amend and list orders on the on-chain exchange")
        {
            Place(factory), Cancel(factory), CancelAll(factory), Amend(factory), List(factory), AgentCommands.Create(factory),
        };

    private static Command Place(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var asAccount = AgentCommands.AsOption();
        var market = MarketInfo.Argument();
        var side = Choice("--side", "buy or sell", ["buy", "sell"], required: true);
        var type = Choice("--type", "limit, or market (immediate-or-cancel up to --price, or a buy spending --quote-budget)", ["limit", "market"], required: false, "limit");
        var price = new Option<string?>("--price") { Description = "Limit price in the quote asset per whole base token, e.g. 1.5; for a market order the worst price", HelpName = "DECIMAL" };
        var size = new Option<string?>("--size") { Description = "Size in the base asset, e.g. 10.25 (whole lots)", HelpName = "DECIMAL" };
        var budget = new Option<string?>("--quote-budget") { Description = "Market buy only, instead of --size and --price: the quote amount to spend", HelpName = "DECIMAL" };
        var tif = Choice("--tif", "Time in force of a limit order: gtc (good till cancel), ioc (immediate or cancel), fok (fill or kill)", ["gtc", "ioc", "fok"], required: false, "gtc");
        var postOnly = new Option<bool>("--post-only") { Description = "Limit order that only rests: refused at matching if it would cross" };
        var clientId = new Option<ulong?>("--client-id")
        {
            Description = "Your own id for the order (1 or more, unique among your open orders in the market); cancel with it later",
            HelpName = "N",
            Validators = { r => { if (r.GetValueOrDefault<ulong?>() == 0) r.AddError("--client-id: must be 1 or more (0 means none)"); } },
        };
        var expiry = new Option<ulong?>("--expiry-height") { Description = "Cancel the order at the start of this block height [default: never]", HelpName = "HEIGHT" };
        var selfTrade = Choice("--self-trade", "If it would trade with your own resting order: cancel-resting, cancel-incoming or cancel-both",
            ["cancel-resting", "cancel-incoming", "cancel-both"], required: false, "cancel-resting");
        var command = new Command("place", "Place an order; with --wait, prints its id, status and fills from its block")
        {
            market, side, type, price, size, budget, tif, postOnly, clientId, expiry, selfTrade,
        };
        command.Add(asAccount);
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var m = await MarketInfo.LoadAsync(context.Node, parse.GetValue(market)!);
            if (!m.Active) throw CliException.Usage($"market {m.Pair} is halted: it takes no new orders");
            var isBuy = parse.GetValue(side) == "buy";
            var isMarket = parse.GetValue(type) == "market";
            var (priceText, sizeText, budgetText) = (parse.GetValue(price), parse.GetValue(size), parse.GetValue(budget));

            byte timeInForce;
            if (isMarket)
            {
                if (parse.GetResult(tif) is { Implicit: false } || parse.GetValue(postOnly)) throw CliException.Usage("--tif and --post-only are for limit orders; a market order is immediate-or-cancel");
                timeInForce = 1;
            }
            else
            {
                if (budgetText is not null) throw CliException.Usage("--quote-budget is only for a market buy (--type market --side buy)");
                if (parse.GetValue(postOnly) && parse.GetResult(tif) is { Implicit: false }) throw CliException.Usage("--post-only is a time in force of its own: leave out --tif");
                timeInForce = (byte)(parse.GetValue(postOnly) ? 3 : parse.GetValue(tif) switch { "ioc" => 1, "fok" => 2, _ => 0 });
            }

            UInt128 priceUnits = 0, sizeUnits = 0, budgetUnits = 0;
            if (budgetText is not null)
            {
                if (!isBuy) throw CliException.Usage("--quote-budget is only for a market buy");
                if (priceText is not null || sizeText is not null) throw CliException.Usage("--quote-budget replaces --size and --price: give only the budget");
                budgetUnits = m.ParseQuote("--quote-budget", budgetText);
            }
            else
            {
                if (priceText is null) throw CliException.Usage(isMarket ? "--price (the worst price) is required for a market order without --quote-budget" : "--price is required for a limit order");
                if (sizeText is null) throw CliException.Usage("--size is required");
                priceUnits = m.ParsePrice("--price", priceText);
                sizeUnits = m.ParseSize("--size", sizeText);
                m.CheckNotional(priceUnits, sizeUnits);
            }

            var client = parse.GetValue(clientId) ?? 0;
            var payload = new PlaceOrderPayload(m.Base, m.Quote, isBuy ? (byte)0 : (byte)1, isMarket ? (byte)1 : (byte)0, timeInForce, priceUnits, sizeUnits, budgetUnits,
                client, parse.GetValue(expiry) ?? 0, (byte)(parse.GetValue(selfTrade) switch { "cancel-incoming" => 1, "cancel-both" => 2, _ => 0 }));
            var ours = client != 0 ? a => a.OptionalString("clientOrderId") == client.ToString(CultureInfo.InvariantCulture) : (Func<JsonObject, bool>?)null;
            return await new TransactionSender(context).SendAsync(AgentCommands.For(parse, asAccount, tx.Request(parse, payload) with { FollowUp = OrderOutcome.ForOrder(m, ours) }));
        });
        return command;
    }

    private static Command Cancel(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var asAccount = AgentCommands.AsOption();
        var market = MarketInfo.Argument();
        var id = new Option<ulong?>("--id") { Description = "The order id (see 'excraft order list')", HelpName = "ID" };
        var clientId = new Option<ulong?>("--client-id") { Description = "Instead of --id: the client order id given when placing it", HelpName = "N" };
        var command = new Command("cancel", "Cancel one of your open orders by id or client order id; its locked funds return to the balance") { market, id, clientId };
        command.Add(asAccount);
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var (orderId, client) = (parse.GetValue(id), parse.GetValue(clientId));
            if ((orderId is null) == (client is null)) throw CliException.Usage("give exactly one of --id and --client-id");
            if (orderId == 0 || client == 0) throw CliException.Usage($"{(orderId == 0 ? "--id" : "--client-id")}: must be 1 or more");
            var m = await MarketInfo.LoadAsync(context.Node, parse.GetValue(market)!);
            var payload = new CancelOrderPayload(m.Base, m.Quote, orderId ?? 0, client ?? 0);
            Func<JsonObject, bool> ours = orderId is { } oid
                ? a => a.OptionalString("orderId") == oid.ToString(CultureInfo.InvariantCulture) || a.OptionalString("change") == "rejected"
                : a => a.OptionalString("clientOrderId") == client!.Value.ToString(CultureInfo.InvariantCulture);
            return await new TransactionSender(context).SendAsync(AgentCommands.For(parse, asAccount, tx.Request(parse, payload) with { FollowUp = OrderOutcome.ForCancel(m, ours) }));
        });
        return command;
    }

    private static Command CancelAll(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var asAccount = AgentCommands.AsOption();
        var market = new Argument<string?>("MARKET")
        {
            Description = "Only this market (BASE/QUOTE) [default: every market]",
            Arity = ArgumentArity.ZeroOrOne,
            Validators = { r => { if (r.GetValueOrDefault<string?>() is { } t && !MarketPairs.TryParse(t.Trim(), out _, out _)) r.AddError($"MARKET: '{t}' is not BASE/QUOTE with two asset symbols, e.g. ORE/EXT"); } },
        };
        var command = new Command("cancel-all", "Cancel all your open orders on one market or on every market") { market };
        command.Add(asAccount);
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var m = parse.GetValue(market) is { } pair ? await MarketInfo.LoadAsync(context.Node, pair.Trim()) : null;
            var payload = new CancelAllPayload(m?.Base ?? "", m?.Quote ?? "");
            return await new TransactionSender(context).SendAsync(AgentCommands.For(parse, asAccount, tx.Request(parse, payload) with { FollowUp = OrderOutcome.ForCancel(m, null) }));
        });
        return command;
    }

    private static Command Amend(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var asAccount = AgentCommands.AsOption();
        var market = MarketInfo.Argument();
        var id = new Option<ulong>("--id") { Description = "The open order to change", HelpName = "ID", Required = true };
        var price = new Option<string?>("--price") { Description = "New limit price [default: unchanged]", HelpName = "DECIMAL" };
        var size = new Option<string?>("--size") { Description = "New remaining size [default: unchanged]", HelpName = "DECIMAL" };
        var command = new Command("amend",
            "Change an open order's price and/or remaining size; a smaller size at the same price keeps its place in the queue, a new price or larger size goes to the back")
        {
            market, id, price, size,
        };
        command.Add(asAccount);
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var (priceText, sizeText) = (parse.GetValue(price), parse.GetValue(size));
            if (priceText is null && sizeText is null) throw CliException.Usage("give --price, --size or both");
            var m = await MarketInfo.LoadAsync(context.Node, parse.GetValue(market)!);
            var orderId = parse.GetValue(id);
            var order = await context.Node.OrderAsync(m.Pair, orderId) ?? throw CliException.NotFound($"order {orderId} is not open on {m.Pair}");
            var newPrice = priceText is null ? order.Units("price") : m.ParsePrice("--price", priceText);
            var newSize = sizeText is null ? order.Units("remaining") : m.ParseSize("--size", sizeText);
            m.CheckNotional(newPrice, newSize);
            var payload = new AmendOrderPayload(m.Base, m.Quote, orderId, newPrice, newSize);
            var idText = orderId.ToString(CultureInfo.InvariantCulture);
            return await new TransactionSender(context).SendAsync(AgentCommands.For(parse, asAccount, tx.Request(parse, payload) with
            {
                FollowUp = OrderOutcome.ForOrder(m, a => a.OptionalString("orderId") == idText || a.OptionalString("change") == "rejected"),
            }));
        });
        return command;
    }

    private static Command List(CliCommandFactory factory)
    {
        var address = CliOptions.AddressArgument("The account (ext1... or 0x...)");
        var market = new Option<string?>("--market")
        {
            Description = "Only this market (BASE/QUOTE)",
            HelpName = "BASE/QUOTE",
            Validators = { r => { if (r.GetValueOrDefault<string?>() is { } t && !MarketPairs.TryParse(t.Trim(), out _, out _)) r.AddError($"--market: '{t}' is not BASE/QUOTE with two asset symbols, e.g. ORE/EXT"); } },
        };
        var command = new Command("list", "List an account's open orders: market, id, side, price, remaining size, locked funds, client id, expiry") { address, market };
        factory.SetAction(command, async (parse, context) =>
        {
            var account = parse.GetValue(address);
            var only = parse.GetValue(market)?.Trim();
            if (only is not null) await MarketInfo.LoadAsync(context.Node, only); // an unknown market is "not found", not an empty list
            var orders = new JsonArray((await context.Node.OpenOrdersAsync(account)).OfType<JsonObject>()
                .Where(o => only is null || o.String("market") == only).Select(o => (JsonNode)o.DeepClone()).ToArray());
            var markets = new Dictionary<string, MarketInfo>();
            if (!context.Output.Json)
                foreach (var pair in orders.OfType<JsonObject>().Select(o => o.String("market")).Distinct())
                    markets[pair] = await MarketInfo.LoadAsync(context.Node, pair);
            context.Output.Result(orders, output =>
            {
                if (orders.Count == 0)
                {
                    output.Line($"{account} has no open orders{(only is null ? "" : $" on {only}")}.");
                    return;
                }
                output.Table(["market", "id", "side", "price", "remaining", "locked", "client id", "expiry height"], orders.OfType<JsonObject>().Select(o =>
                {
                    var m = markets[o.String("market")];
                    var lockedAsset = o.String("lockedAsset");
                    var locked = lockedAsset == m.Base ? m.FormatBase(o.Units("locked")) : m.FormatQuote(o.Units("locked"));
                    return (IReadOnlyList<string>)
                    [
                        m.Pair, o.UInt64("id").ToString(CultureInfo.InvariantCulture), o.String("side"), $"{m.FormatPrice(o.Units("price"))} {m.Quote}",
                        $"{m.FormatBase(o.Units("remaining"))} {m.Base}", $"{locked} {lockedAsset}",
                        o.UInt64("clientOrderId") is var c && c != 0 ? c.ToString(CultureInfo.InvariantCulture) : "",
                        o.UInt64("expiryHeight") is var x && x != 0 ? x.ToString(CultureInfo.InvariantCulture) : "never",
                    ];
                }));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>An option taking one of a few words, checked while parsing.</summary>
    private static Option<string> Choice(string name, string description, string[] words, bool required, string? defaultWord = null)
    {
        var option = new Option<string>(name)
        {
            Description = description + (defaultWord is null ? "" : $" [default: {defaultWord}]"),
            HelpName = string.Join('|', words),
            Required = required,
            Validators = { r => { if (r.GetValueOrDefault<string?>() is { } v && !words.Contains(v)) r.AddError($"{name}: '{v}' is not one of {string.Join(", ", words)}"); } },
        };
        if (defaultWord is not null) option.DefaultValueFactory = _ => defaultWord;
        return option;
    }
}
