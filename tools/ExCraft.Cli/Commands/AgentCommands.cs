using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft order agent authorize | revoke | list: an account's agent keys, which may place, cancel
/// and amend orders for it and nothing else (kinds 26-28, docs/markets.md "Agent keys"), and the
/// --as option that sends an order command through an agent key (agent_action, kind 28).
/// </summary>
public static class AgentCommands
{
    public static Command Create(CliCommandFactory factory) =>
        new("agent", "Agent keys: keys that trade (place, cancel, amend) for an account and can do nothing else")
        {
            Authorize(factory), Revoke(factory), List(factory),
        };

    private static Command Authorize(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var agent = CliOptions.AddressOption("--agent", "The agent key's address (ext1... or 0x...)");
        var expiry = new Option<ulong>("--expiry-height") { Description = "The agent may act in blocks below this height", HelpName = "HEIGHT", Required = true };
        var command = new Command("authorize", "Authorize a key to place, cancel and amend orders for the --from account until a height (again for the same key: a new expiry)")
        {
            agent, expiry,
        };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new AuthorizeAgentPayload(parse.GetValue(agent), parse.GetValue(expiry)))));
        return command;
    }

    private static Command Revoke(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var agent = CliOptions.AddressOption("--agent", "The agent key's address (ext1... or 0x...)");
        var command = new Command("revoke", "Withdraw an agent key of the --from account; its later transactions are refused") { agent };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) => new TransactionSender(context).SendAsync(tx.Request(parse, new RevokeAgentPayload(parse.GetValue(agent)))));
        return command;
    }

    private static Command List(CliCommandFactory factory) => AccountQuery.Create(factory, "list", "List an account's agent keys: address, expiry height, whether still active",
        "The account (ext1... or 0x...)",
        async q => await q.Node.CallAsync("market_agents", q.Address.ToString()) as JsonArray ?? throw CliException.NotFound("market_agents returned nothing"),
        AccountQuery.Table(a => $"{a} has no agent keys.", ["agent", "expiry height", "active"], o =>
        [
            o.String("agent"), o.UInt64("expiryHeight").ToString(CultureInfo.InvariantCulture), o.Bool("active") ? "yes" : "no (expired)",
        ]));

    /// <summary>--as ACCOUNT on order commands: the --from key is an agent of ACCOUNT and sends the order for it.</summary>
    internal static Option<Address?> AsOption() => new("--as")
    {
        Description = "Act for this account with the --from key as its agent (agent_action): the account's funds and orders; it pays the fee",
        HelpName = "ACCOUNT",
        CustomParser = r =>
        {
            if (Address.TryParse(r.Tokens.Single().Value, out var address, out var error)) return address;
            r.AddError($"--as: {error}");
            return null;
        },
    };

    /// <summary>The request as sent: unchanged without --as; with it, the payload inside an agent_action for the account, whose order events the follow-up reads.</summary>
    internal static TransactionSender.Request For(ParseResult parse, Option<Address?> asOption, TransactionSender.Request request)
    {
        if (parse.GetValue(asOption) is not { } account) return request;
        var follow = request.FollowUp;
        return request with
        {
            Payload = new AgentActionPayload(account, request.Payload),
            FollowUp = follow is null ? null : (receipt, _, node) => follow(receipt, account, node),
        };
    }
}
