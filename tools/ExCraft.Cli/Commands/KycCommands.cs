using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Kyc;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>excraft kyc ...: attest and revoke (sent by a KYC authority's key) and an account's status (docs/kyc.md, docs/cli.md).</summary>
public static class KycCommands
{
    public static Command Create(CliCommandFactory factory) =>
        new(KycModule.ModuleName, "KYC attestations: attest, revoke (KYC authorities only) and status") { Attest(factory), Revoke(factory), Status(factory) };

    private static Command Attest(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var account = CliOptions.AddressOption("--account", "The account that passed KYC (ext1... or 0x...)");
        var expiry = new Option<ulong>("--expiry-height") { Description = "The attestation holds while the chain is below this height", HelpName = "HEIGHT", Required = true };
        var command = new Command("attest", "Attest an account's KYC until an expiry height (the sender must be a KYC authority)") { account, expiry };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) =>
            new TransactionSender(context).SendAsync(tx.Request(parse, new KycAttestPayload(parse.GetValue(account), parse.GetValue(expiry)))));
        return command;
    }

    private static Command Revoke(CliCommandFactory factory)
    {
        var tx = new TransactionOptions();
        var account = CliOptions.AddressOption("--account", "The account whose attestation is withdrawn (ext1... or 0x...)");
        var command = new Command("revoke", "Withdraw an account's KYC attestation at once (the sender must be a KYC authority)") { account };
        tx.AddTo(command, factory.Options);
        factory.SetAction(command, (parse, context) => new TransactionSender(context).SendAsync(tx.Request(parse, new KycRevokePayload(parse.GetValue(account)))));
        return command;
    }

    private static Command Status(CliCommandFactory factory) => AccountQuery.Create(factory, "status", "Show an account's KYC status: registered, attested until which height, verified",
        "The account (ext1... or 0x...)",
        async q => await q.Node.CallAsync("kyc_status", q.Address.ToString()) as JsonObject ?? throw CliException.NotFound("kyc_status returned nothing"),
        AccountQuery.Fields(s =>
        [
            ("account", s.String("account")),
            ("registered", s.Bool("registered") ? "yes" : "no"),
            ("attested", s.Bool("attested") ? $"until height {s.UInt64("expiryHeight").ToString(CultureInfo.InvariantCulture)}{(s.Bool("expired") ? " (expired)" : "")} by {s.String("authority")}" : "no"),
            ("verified", s.Bool("verified") ? "yes" : "no"),
        ]));
}
