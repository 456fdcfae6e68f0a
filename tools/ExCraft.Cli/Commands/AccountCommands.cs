using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ExCraft.Cli.Commands;

/// <summary>excraft balance | nonce: account state read from the node.</summary>
public static class AccountCommands
{
    public static IEnumerable<Command> Create(CliCommandFactory factory) => [Balance(factory), Nonce(factory)];

    private static Command Balance(CliCommandFactory factory)
    {
        var address = CliOptions.AddressArgument("The account (ext1... or 0x...)");
        var asset = CliOptions.AssetOption("--asset", "Only this asset [default: all balances]", required: false);
        var command = new Command("balance", "Show an account's balances, in decimal units") { address, asset };
        factory.SetAction(command, async (parse, context) =>
        {
            var account = parse.GetValue(address);
            JsonNode json;
            List<JsonObject> balances;
            if (parse.GetValue(asset) is { } symbol)
            {
                var balance = await context.Node.BalanceAsync(account, symbol);
                json = balance;
                balances = [balance];
            }
            else
            {
                var all = await context.Node.BalancesAsync(account);
                balances = all.OfType<JsonObject>().ToList();
                json = new JsonObject { ["address"] = account.ToString(), ["balances"] = all };
            }
            context.Output.Result(json, output =>
            {
                if (balances.Count == 0) output.Line($"{account} holds nothing.");
                else output.Table(["asset", "balance"], balances.Select(b => (IReadOnlyList<string>)[b.String("asset"), b.String("formatted")]));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Nonce(CliCommandFactory factory)
    {
        var address = CliOptions.AddressArgument("The account (ext1... or 0x...)");
        var command = new Command("nonce", "Show an account's nonce (committed, and next one counting the mempool)") { address };
        factory.SetAction(command, async (parse, context) =>
        {
            var account = parse.GetValue(address);
            var latest = await context.Node.NonceAsync(account, "latest");
            var pending = await context.Node.NonceAsync(account, "pending");
            context.Output.Result(new JsonObject { ["address"] = account.ToString(), ["nonce"] = latest, ["pending"] = pending },
                output => output.Fields([("nonce", Text(latest)), ("pending", Text(pending))]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
