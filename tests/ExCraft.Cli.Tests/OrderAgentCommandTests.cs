using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Tests;

/// <summary>
/// excraft order agent authorize | list | revoke and order commands with --as against a real dev
/// node of its own (<see cref="NodeFixture"/>): dev:8 authorizes dev:9, which places and cancels
/// for dev:8 (dev:8's funds lock and it pays the fees, dev:9 pays nothing); the agent key cannot
/// move dev:8's funds; once revoked, its place for dev:8 is refused.
/// </summary>
public sealed class OrderAgentCommandTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static readonly UInt128 TxFee = Amount.Parse("0.00001");
    private static readonly string Account = DevKeys.Account(8).Address.ToString();
    private static readonly string Agent = DevKeys.Account(9).Address.ToString();

    private async Task<CliRun> Run(int exitCode, params string[] args)
    {
        var run = await TestCli.RunAsync([.. args, "--rpc", node.Rpc]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode} from 'excraft {string.Join(' ', args)}', got {run}\nnode log:\n{node.Log}");
        return run;
    }

    private async Task<UInt128> Balance(string address, string asset) =>
        UInt128.Parse((await Run(0, "balance", address, "--asset", asset, "--json")).Json["balance"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private async Task<(UInt128 Ore, UInt128 Ext)> Balances(string address) => (await Balance(address, "ORE"), await Balance(address, "EXT"));

    [Fact]
    public async Task An_agent_trades_for_its_account_cannot_move_its_funds_and_is_refused_once_revoked()
    {
        var (accountOre, accountExt) = await Balances(Account);
        var agentBefore = await Balances(Agent);

        await Run(0, "order", "agent", "authorize", "--agent", Agent, "--expiry-height", "1000000", "--from", "dev:8", "--wait");
        var table = await Run(0, "order", "agent", "list", Account);
        Assert.Matches(@"(?m)^agent\s+expiry height\s+active$", table.Out);
        Assert.Matches($@"(?m)^{Agent}\s+1000000\s+yes$", table.Out);
        var listed = Assert.Single((await Run(0, "order", "agent", "list", Account, "--json")).Json.AsArray())!;
        Assert.Equal((Agent, 1_000_000ul, true), (listed["agent"]!.GetValue<string>(), listed["expiryHeight"]!.GetValue<ulong>(), listed["active"]!.GetValue<bool>()));

        // The agent places a bid for the account: the account's 5 EXT (10 ORE at 0.5) lock, the account pays the fee, the agent pays nothing.
        var placed = (await Run(0, "order", "place", "ORE/EXT", "--side", "buy", "--price", "0.5", "--size", "10", "--client-id", "5",
            "--from", "dev:9", "--as", Account, "--wait", "--json")).Json;
        Assert.Equal("rested", placed["order"]!["status"]!.GetValue<string>());
        var order = Assert.Single((await Run(0, "order", "list", Account, "--json")).Json.AsArray())!;
        Assert.Equal(("buy", Amount.FromWhole(5).ToString(), "5"), (order["side"]!.GetValue<string>(), order["locked"]!.GetValue<string>(), order["clientOrderId"]!.ToString()));
        Assert.Equal((accountOre, accountExt - Amount.FromWhole(5) - 2 * TxFee), await Balances(Account));
        Assert.Equal(agentBefore, await Balances(Agent));

        // A transfer of the account's funds signed by the agent key is refused before the mempool.
        var transfer = Transaction.Create(9545, 1, TxFee, new AgentActionPayload(Address.Parse(Account), new TransferPayload(Address.Parse(Agent), "EXT", Amount.FromWhole(1))),
            DevKeys.Account(9));
        using (var http = new HttpClient())
        {
            var response = await http.PostAsJsonAsync(node.Rpc, new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "ext_sendRawTransaction", ["params"] = new JsonArray(Hex.Encode(transfer.Encoded)),
            });
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("an agent key may only place, cancel, amend, batch, cancel_all and set_cancel_deadline", body);
        }

        // The agent cancels by client id for the account: the EXT comes back.
        await Run(0, "order", "cancel", "ORE/EXT", "--client-id", "5", "--from", "dev:9", "--as", Account, "--wait");
        Assert.Empty((await Run(0, "order", "list", Account, "--json")).Json.AsArray());
        Assert.Equal((accountOre, accountExt - 3 * TxFee), await Balances(Account));
        Assert.Equal(agentBefore, await Balances(Agent));

        await Run(0, "order", "agent", "revoke", "--agent", Agent, "--from", "dev:8", "--wait");
        Assert.Contains($"{Account} has no agent keys.", (await Run(0, "order", "agent", "list", Account)).Out);

        // Revoked: the agent's place for the account fails in its block; the account's funds and orders stay.
        var refused = await Run(3, "order", "place", "ORE/EXT", "--side", "buy", "--price", "0.5", "--size", "10", "--from", "dev:9", "--as", Account, "--wait");
        Assert.Contains($"{Agent} is not an authorized agent of {Account} (never authorized, or revoked)", refused.Error);
        Assert.Empty((await Run(0, "order", "list", Account, "--json")).Json.AsArray());
        Assert.Equal((accountOre, accountExt - 4 * TxFee), await Balances(Account));
    }
}
