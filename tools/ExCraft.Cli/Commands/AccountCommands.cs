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
        var asset = CliOptions.AssetOption("--asset", "Only this asset [default: all balances]", required: false);
        return AccountQuery.Create(factory, "balance", "Show an account's balances, in decimal units", "The account (ext1... or 0x...)",
            // With --asset the JSON is that one balance object; without, every balance under "balances".
            async q => q.Parse.GetValue(asset) is { } symbol
                ? await q.Node.BalanceAsync(q.Address, symbol)
                : new JsonObject { ["address"] = q.Address.ToString(), ["balances"] = await q.Node.BalancesAsync(q.Address) },
            (q, result) => AccountQuery.Table(account => $"{account} holds nothing.", ["asset", "balance"], b => [b.String("asset"), b.String("formatted")])(
                q, result["balances"] as JsonArray ?? [result.DeepClone()]),
            asset);
    }

    private static Command Nonce(CliCommandFactory factory) => AccountQuery.Create(factory, "nonce",
        "Show an account's nonce (committed, and next one counting the mempool)", "The account (ext1... or 0x...)",
        async q => new JsonObject
        {
            ["address"] = q.Address.ToString(),
            ["nonce"] = await q.Node.NonceAsync(q.Address, "latest"),
            ["pending"] = await q.Node.NonceAsync(q.Address, "pending"),
        },
        AccountQuery.Fields(n => [("nonce", Text(n.UInt64("nonce"))), ("pending", Text(n.UInt64("pending")))]));

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
