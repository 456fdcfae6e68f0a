namespace ExCraft.Cli.Tests;

/// <summary>Usage errors: exit code 1 with one "excraft: ..." line, before anything is sent anywhere.</summary>
public sealed class ArgumentTests
{
    private const string Dev1 = "ext1etsxkf5eatvhyuv2xfz5vtyqz02g0lje33fz9m";
    private const string Dev1BadChecksum = "ext1etsxkf5eatvhyuv2xfz5vtyqz02g0lje33fz9n";
    // Nothing listens here: port 9 (discard) on loopback; a usage error must not even try it.
    private const string DeadRpc = "http://127.0.0.1:9";

    private static void AssertOneErrorLine(CliRun run, string contains)
    {
        Assert.StartsWith("excraft: ", run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Contains(contains, run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Bad_address_checksum_is_a_usage_error()
    {
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "balance", Dev1BadChecksum, "--rpc", DeadRpc), "checksum");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--from", "dev:0", "--to", Dev1BadChecksum, "--amount", "1", "--rpc", DeadRpc), "--to: invalid address: bech32 checksum mismatch");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--from", Dev1BadChecksum, "--to", Dev1, "--amount", "1", "--rpc", DeadRpc), "--from: invalid address: bech32 checksum mismatch");
    }

    [Theory]
    [InlineData("12.5.1")]
    [InlineData("-3")]
    [InlineData("1e18")]
    [InlineData("abc")]
    public async Task Bad_amount_is_a_usage_error(string amount)
    {
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--from", "dev:0", "--to", Dev1, "--amount", amount, "--rpc", DeadRpc), "--amount:");
    }

    [Fact]
    public async Task Large_whole_amounts_pass_the_syntax_check()
    {
        // 10^12 would overflow UInt128 if scaled by 10^30 for the check; it must reach the (dead) node instead.
        await TestCli.RunExpectingAsync(2, "transfer", "--from", "dev:0", "--to", Dev1, "--amount", "1000000000000", "--rpc", DeadRpc);
    }

    [Fact]
    public async Task Zero_amount_or_supply_is_a_usage_error()
    {
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--from", "dev:0", "--to", Dev1, "--amount", "0.000", "--rpc", DeadRpc), "--amount: must be greater than zero");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "asset", "issue", "--from", "dev:0", "--symbol", "GOLD", "--decimals", "2", "--supply", "0", "--rpc", DeadRpc), "--supply: must be greater than zero");
    }

    [Fact]
    public async Task Dev_reports_bad_node_options_as_usage_errors()
    {
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "dev", "--bogus", "1"), "unknown option '--bogus'");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "dev", "--data-dir"), "option '--data-dir' needs a value");
    }

    [Fact]
    public async Task Bad_fee_asset_dev_index_and_hash_are_usage_errors()
    {
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--from", "dev:0", "--to", Dev1, "--amount", "1", "--fee", "0.0000000000000000001", "--rpc", DeadRpc), "--fee:");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--from", "dev:0", "--to", Dev1, "--amount", "1", "--asset", "gold", "--rpc", DeadRpc), "--asset:");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--from", "dev:10", "--to", Dev1, "--amount", "1", "--rpc", DeadRpc), "dev:0 to dev:9");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "tx", "0x1234", "--rpc", DeadRpc), "32 bytes");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "block", "tip", "--rpc", DeadRpc), "HEIGHT");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "asset", "issue", "--from", "dev:0", "--symbol", "GOLD", "--decimals", "19", "--supply", "1", "--rpc", DeadRpc), "--decimals");
    }

    [Fact]
    public async Task Unknown_option_and_missing_command_are_usage_errors()
    {
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "balance", Dev1, "--bogus"), "--bogus");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "transfer", "--to", Dev1, "--amount", "1"), "--from");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1), "excraft --help");
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "balance", Dev1, "--rpc", "ftp://example"), "--rpc");
    }

    [Fact]
    public async Task There_is_no_password_option()
    {
        AssertOneErrorLine(await TestCli.RunExpectingAsync(1, "keys", "new", "--password", "hunter2"), "--password");
    }

    [Fact]
    public async Task Help_lists_commands_and_exit_codes()
    {
        var run = await TestCli.RunExpectingAsync(0, "--help");
        foreach (var command in new[] { "keys", "balance", "nonce", "transfer", "asset", "register", "tx", "block", "node", "dev" })
            Assert.Contains($"  {command}", run.Out);
        Assert.Contains("Exit codes:", run.Out);
        foreach (var (code, meaning) in ExitCodes.All) Assert.Contains($"  {code}  {meaning}", run.Out);

        var transferHelp = await TestCli.RunExpectingAsync(0, "transfer", "--help");
        Assert.Contains("--password-file", transferHelp.Out);
        Assert.Contains("dev:N", transferHelp.Out);
    }

    [Fact]
    public async Task Unreachable_node_exits_2()
    {
        var run = await TestCli.RunExpectingAsync(2, "balance", Dev1, "--rpc", $"http://127.0.0.1:{FreePort.Get()}");
        AssertOneErrorLine(run, "cannot reach the node at http://127.0.0.1:");
    }

    [Fact]
    public async Task The_staking_module_name_is_an_alias_of_the_stake_group()
    {
        var run = await TestCli.RunExpectingAsync(2, "staking", "params", "--rpc", $"http://127.0.0.1:{FreePort.Get()}");
        AssertOneErrorLine(run, "cannot reach the node at http://127.0.0.1:");
        Assert.Contains("delegations", (await TestCli.RunExpectingAsync(0, "staking", "--help")).Out);
    }
}
