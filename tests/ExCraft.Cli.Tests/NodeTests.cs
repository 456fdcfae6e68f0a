using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Cli.Tests;

/// <summary>The CLI against a real node process (see <see cref="NodeFixture"/>). Each test uses its own dev accounts.</summary>
public sealed class NodeTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static string Dev(int index) => DevKeys.Account(index).Address.ToString();

    private async Task<CliRun> Run(int exitCode, params string[] args)
    {
        var run = await TestCli.RunAsync([.. args, "--rpc", node.Rpc]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode} from 'excraft {string.Join(' ', args)}', got {run}\nnode log:\n{node.Log}");
        return run;
    }

    private async Task<UInt128> Balance(string address, string asset = "EXT") =>
        UInt128.Parse((await Run(0, "balance", address, "--asset", asset, "--json")).Json["balance"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Transfer_with_wait_moves_exactly_the_amount()
    {
        var before = await Balance(Dev(1));
        var sent = (await Run(0, "transfer", "--from", "dev:0", "--to", Dev(1), "--amount", "12.5", "--wait", "--json")).Json;
        Assert.Equal("success", sent["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal(Dev(0), sent["from"]!.GetValue<string>());
        Assert.Equal("transfer", sent["receipt"]!["events"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(before + Amount.Parse("12.5"), await Balance(Dev(1)));

        var hash = sent["hash"]!.GetValue<string>();
        var tx = (await Run(0, "tx", hash, "--json")).Json;
        Assert.Equal(hash, tx["transaction"]!["hash"]!.GetValue<string>());
        Assert.Equal("12500000000000000000", tx["transaction"]!["payload"]!["amount"]!.GetValue<string>());
        Assert.Equal("success", tx["receipt"]!["status"]!.GetValue<string>());

        var human = await Run(0, "tx", hash);
        Assert.Contains("12.5 EXT", human.Out);
        Assert.Contains("success", human.Out);
        Assert.Contains(Dev(1), human.Out);
    }

    [Fact]
    public async Task Transfer_without_wait_prints_the_hash_and_bumps_the_pending_nonce()
    {
        var nonceBefore = (await Run(0, "nonce", Dev(6), "--json")).Json["pending"]!.GetValue<ulong>();
        var run = await Run(0, "transfer", "--from", "dev:6", "--to", Dev(7), "--amount", "0.000000000000000001");
        Assert.Matches("^0x[0-9a-f]{64}$", run.Out.Trim());
        var nonceAfter = (await Run(0, "nonce", Dev(6), "--json")).Json["pending"]!.GetValue<ulong>();
        Assert.Equal(nonceBefore + 1, nonceAfter);
    }

    [Fact]
    public async Task Asset_issue_then_balance_and_transfer_of_the_asset()
    {
        var issued = (await Run(0, "asset", "issue", "--from", "dev:2", "--symbol", "GOLD", "--decimals", "2", "--supply", "1000.55", "--wait", "--json")).Json;
        Assert.Equal("success", issued["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal("issue_asset", issued["kind"]!.GetValue<string>());

        var balance = (await Run(0, "balance", Dev(2), "--asset", "GOLD", "--json")).Json;
        Assert.Equal("100055", balance["balance"]!.GetValue<string>());
        Assert.Equal("1000.55", balance["formatted"]!.GetValue<string>());

        var tooPrecise = await Run(1, "transfer", "--from", "dev:2", "--to", Dev(8), "--amount", "0.555", "--asset", "GOLD");
        Assert.StartsWith("excraft: --amount: '0.555' has 3 decimal places; GOLD has 2", tooPrecise.Error);

        await Run(0, "transfer", "--from", "dev:2", "--to", Dev(8), "--amount", "0.55", "--asset", "GOLD", "--wait");
        var all = await Run(0, "balance", Dev(8));
        Assert.Matches(@"(?m)^GOLD\s+0\.55$", all.Out);
        Assert.Matches(@"(?m)^EXT\s+1000000$", all.Out);
    }

    [Fact]
    public async Task Register_then_register_again_fails_on_chain_with_exit_3()
    {
        var first = (await Run(0, "register", "--from", "dev:3", "--wait", "--json")).Json;
        Assert.Equal("success", first["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal("registered", first["receipt"]!["events"]![0]!["type"]!.GetValue<string>());

        var again = await Run(3, "register", "--from", "dev:3", "--wait", "--json");
        Assert.Equal("failed", again.Json["receipt"]!["status"]!.GetValue<string>());
        Assert.Contains("already registered", again.Error);
    }

    [Fact]
    public async Task Transfer_of_more_than_the_balance_is_rejected_with_exit_3()
    {
        var run = await Run(3, "transfer", "--from", "dev:4", "--to", Dev(5), "--amount", "2000000");
        Assert.StartsWith("excraft: node error -32016 (insufficient_funds): insufficient EXT balance", run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Keystore_key_signs_after_funding()
    {
        using var temp = new TempDirectory();
        var keystore = temp.File("keystore");
        var password = temp.File("password", "s3cret\n");
        var wrong = temp.File("wrong", "nope\n");
        var address = (await Run(0, "keys", "new", "--light-kdf", "--password-file", password, "--keystore", keystore, "--json")).Json["address"]!.GetValue<string>();
        await Run(0, "transfer", "--from", "dev:5", "--to", address, "--amount", "10", "--wait");

        var wrongRun = await Run(4, "transfer", "--from", address, "--to", Dev(9), "--amount", "1", "--password-file", wrong, "--keystore", keystore);
        Assert.StartsWith("excraft: wrong password", wrongRun.Error);

        var sent = (await Run(0, "transfer", "--from", address, "--to", Dev(9), "--amount", "1", "--fee", "0.001", "--password-file", password, "--keystore", keystore, "--wait", "--json")).Json;
        Assert.Equal("success", sent["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal(Amount.Parse("10") - Amount.Parse("1") - Amount.Parse("0.001"), await Balance(address));
        Assert.Equal(1UL, (await Run(0, "nonce", address, "--json")).Json["nonce"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task Explicit_stale_nonce_is_rejected_with_exit_3()
    {
        await Run(0, "transfer", "--from", "dev:7", "--to", Dev(6), "--amount", "1", "--wait");
        var run = await Run(3, "transfer", "--from", "dev:7", "--to", Dev(6), "--amount", "1", "--nonce", "0");
        Assert.Contains("nonce_too_low", run.Error);
    }

    [Fact]
    public async Task Block_and_node_info()
    {
        var info = (await Run(0, "node", "info", "--json")).Json;
        Assert.Equal(9545UL, info["chainId"]!.GetValue<ulong>());
        Assert.Equal("excraft-dev", info["chainName"]!.GetValue<string>());

        var latest = (await Run(0, "block", "latest", "--json")).Json;
        Assert.True(latest["height"]!.GetValue<ulong>() >= 1);
        var first = await Run(0, "block", "1");
        Assert.Matches(@"(?m)^height\s+1$", first.Out);
        Assert.Contains(DevKeys.Validator.Address.ToString(), first.Out);
        Assert.Equal(latest["height"]!.GetValue<ulong>() > 0, (await Run(0, "block")).Out.Contains("hash"));

        var missing = await Run(5, "block", "99999999");
        Assert.StartsWith("excraft: block 99999999 not found", missing.Error);
    }

    [Fact]
    public async Task Unknown_transaction_and_asset_exit_5()
    {
        var tx = await Run(5, "tx", "0x" + new string('0', 64));
        Assert.StartsWith("excraft: transaction 0x0000", tx.Error);
        var asset = await Run(5, "transfer", "--from", "dev:9", "--to", Dev(8), "--amount", "1", "--asset", "NOPE");
        Assert.StartsWith("excraft: unknown asset NOPE", asset.Error);
    }

    [Fact]
    public async Task Human_balance_lists_all_assets()
    {
        var run = await Run(0, "balance", Dev(9));
        Assert.Matches(@"(?m)^asset\s+balance$", run.Out);
        Assert.Contains("EXT", run.Out);
        var json = (await Run(0, "balance", Dev(9), "--json")).Json;
        Assert.Equal(Dev(9), json["address"]!.GetValue<string>());
        Assert.IsType<JsonArray>(json["balances"]);
    }
}
