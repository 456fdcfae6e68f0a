using System.CommandLine;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>excraft transfer | asset issue | register: signed transactions, sent through <see cref="TransactionSender"/>.</summary>
public static class TransactionCommands
{
    public static IEnumerable<Command> Create(CliCommandFactory factory) => [Transfer(factory), Asset(factory), Register(factory)];

    private static Command Transfer(CliCommandFactory factory)
    {
        var common = new TransactionOptions();
        var to = CliOptions.AddressOption("--to", "Recipient (ext1... or 0x...)");
        var amount = CliOptions.AmountOption("--amount", "Amount in decimal units of the asset, e.g. 12.5");
        var asset = CliOptions.AssetOption("--asset", $"Asset symbol [default: {AssetSymbol.Native}]", required: false);
        var command = new Command("transfer", "Send an amount of an asset to another account") { to, amount, asset };
        common.AddTo(command, factory.Options);
        factory.SetAction(command, async (parse, context) =>
        {
            var symbol = parse.GetValue(asset) ?? AssetSymbol.Native;
            var decimals = await context.Node.DecimalsAsync(symbol);
            var units = CliOptions.ParseAmount("--amount", parse.GetValue(amount)!, decimals, symbol);
            var payload = new TransferPayload(parse.GetValue(to), symbol, units);
            return await new TransactionSender(context).SendAsync(common.Request(parse, payload));
        });
        return command;
    }

    private static Command Asset(CliCommandFactory factory)
    {
        var common = new TransactionOptions();
        var symbol = CliOptions.AssetOption("--symbol", "Symbol of the new asset: 2 to 12 upper-case letters and digits, starting with a letter", required: true);
        var decimals = new Option<int>("--decimals")
        {
            Description = $"Decimal places of the asset (0 to {AssetSymbol.MaxDecimals})",
            HelpName = "D",
            Required = true,
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 0 or > AssetSymbol.MaxDecimals) r.AddError($"--decimals: must be 0 to {AssetSymbol.MaxDecimals}"); } },
        };
        var supply = CliOptions.AmountOption("--supply", "Total supply in decimal units; all of it is credited to the issuer");
        var issue = new Command("issue", "Create a new asset; the sender becomes its issuer and receives the whole supply") { symbol, decimals, supply };
        common.AddTo(issue, factory.Options);
        factory.SetAction(issue, (parse, context) =>
        {
            var d = parse.GetValue(decimals);
            var s = parse.GetValue(symbol)!;
            var payload = new IssueAssetPayload(s, (byte)d, CliOptions.ParseAmount("--supply", parse.GetValue(supply)!, d, s));
            return new TransactionSender(context).SendAsync(common.Request(parse, payload));
        });
        return new Command("asset", "Issue assets") { issue };
    }

    private static Command Register(CliCommandFactory factory)
    {
        var common = new TransactionOptions();
        var command = new Command("register", "Opt the sending account in to PoE publication and rewards");
        common.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) => new TransactionSender(context).SendAsync(common.Request(parse, new RegisterPayload())));
        return command;
    }
}
