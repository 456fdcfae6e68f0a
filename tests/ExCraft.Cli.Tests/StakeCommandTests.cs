using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Consensus;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Node;

namespace ExCraft.Cli.Tests;

/// <summary>
/// excraft stake ... against a real node process (<see cref="NodeFixture"/>: --dev, temp data dir,
/// free port, 200 ms blocks, killed on dispose). Each test uses its own dev accounts, so the tests
/// do not depend on each other's order.
/// </summary>
public sealed class StakeCommandTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private const ulong DevChainId = 9545;

    private static string Dev(int index) => DevKeys.Account(index).Address.ToString();

    private async Task<CliRun> Run(int exitCode, params string[] args)
    {
        var run = await TestCli.RunAsync([.. args, "--rpc", node.Rpc]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode} from 'excraft {string.Join(' ', args)}', got {run}\nnode log:\n{node.Log}");
        return run;
    }

    private static UInt128 Units(JsonNode? value) => UInt128.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>Creates a validator for dev:N with a fresh consensus key (or the one given) and waits for it.</summary>
    private async Task<PrivateKey> CreateValidator(int dev, string moniker, string selfBond, PrivateKey? consensus = null)
    {
        consensus ??= PrivateKey.Generate();
        var created = (await Run(0, "stake", "create-validator", "--from", $"dev:{dev}", "--consensus-key", Hex.Encode(consensus.PublicKey.Compressed),
            "--moniker", moniker, "--commission", "5%", "--max-commission", "0.2", "--max-daily-change", "1%", "--self-bond", selfBond, "--wait", "--json")).Json;
        Assert.Equal("success", created["receipt"]!["status"]!.GetValue<string>());
        return consensus;
    }

    private async Task<ulong> EpochAsync() => (await Run(0, "stake", "validators", "--json")).Json["epoch"]!.GetValue<ulong>();

    private async Task<JsonObject> ValidatorInList(string operatorAddress) =>
        (await Run(0, "stake", "validators", "--json")).Json["validators"]!.AsArray().OfType<JsonObject>()
            .Single(v => v["operator"]!.GetValue<string>() == operatorAddress);

    [Theory]
    [InlineData("5%", 50_000u)]
    [InlineData("0.05", 50_000u)]
    [InlineData("0.000001", 1u)]
    [InlineData("0.0001%", 1u)]
    [InlineData("12.5%", 125_000u)]
    [InlineData("0.0500000", 50_000u)]
    [InlineData("1", 1_000_000u)]
    [InlineData("100%", 1_000_000u)]
    [InlineData("0", 0u)]
    [InlineData(" 7 % ", 70_000u)]
    public void Rate_parses_fractions_and_percentages_exactly_to_ppm(string text, uint ppm)
    {
        Assert.True(CommissionRate.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(ppm, parsed);
    }

    [Theory]
    [InlineData("0.0000001", "more precise than 1 ppm")]
    [InlineData("0.00001%", "more precise than 1 ppm")]
    [InlineData("101%", "above 100%")]
    [InlineData("1.000001", "above 100%")]
    [InlineData("5", "write 5% for a percentage")]
    [InlineData("-5%", "not a rate")]
    [InlineData("", "not a rate")]
    [InlineData("%", "not a rate")]
    [InlineData(".", "not a rate")]
    [InlineData("5%%", "not a rate")]
    [InlineData("1e-2", "not a rate")]
    public void Rate_rejects_excess_precision_values_above_100_percent_and_garbage(string text, string message)
    {
        Assert.False(CommissionRate.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData(50_000u, "5%")]
    [InlineData(125u, "0.0125%")]
    [InlineData(1_000_000u, "100%")]
    [InlineData(0u, "0%")]
    [InlineData(123_456u, "12.3456%")]
    public void Rate_formats_ppm_as_an_exact_percentage(uint ppm, string text)
    {
        Assert.Equal(text, CommissionRate.Format(ppm));
        Assert.Equal(ppm, CommissionRate.Parse(text));
    }

    [Fact]
    public async Task Create_validator_from_a_key_file_is_listed_as_a_candidate_with_the_exact_tokens()
    {
        using var temp = new TempDirectory();
        var consensus = PrivateKey.Generate();
        var keyFile = temp.File("validator_key.json");
        ValidatorKeyFile.Save(keyFile, consensus);
        // A new validator is a candidate until the next epoch boundary (every 60 s on the dev chain),
        // which may fall anywhere in this test: the epoch before and after the reads tells which.
        var epochBefore = await EpochAsync();

        var created = (await Run(0, "stake", "create-validator", "--from", "dev:1", "--consensus-key-file", keyFile, "--moniker", "cli-one",
            "--commission", "5%", "--max-commission", "0.2", "--max-daily-change", "1%", "--self-bond", "123.456789", "--wait", "--json")).Json;
        Assert.Equal("success", created["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal("create_validator", created["kind"]!.GetValue<string>());
        Assert.Equal(50_000u, created["payload"]!["commissionPpm"]!.GetValue<uint>());
        Assert.Equal("validator_created", created["receipt"]!["events"]![0]!["type"]!.GetValue<string>());

        var listed = (await Run(0, "stake", "validators", "--json")).Json;
        var table = await Run(0, "stake", "validators");
        var active = (await Run(0, "stake", "validators", "--active", "--json")).Json;
        var one = await Run(0, "stake", "validator", Dev(1));
        // Same epoch throughout: still a candidate. Otherwise a boundary passed: either, as each read found it.
        var status = await EpochAsync() == epochBefore ? "candidate" : "(?:candidate|active)";

        Assert.True(listed["epoch"]!.GetValue<ulong>() >= 1);
        Assert.True(listed["totalPower"]!.GetValue<ulong>() >= 1000);
        var v = listed["validators"]!.AsArray().OfType<JsonObject>().Single(x => x["operator"]!.GetValue<string>() == Dev(1));
        Assert.Equal("123456789000000000000", v["tokens"]!.GetValue<string>());
        Assert.Equal(Hex.Encode(consensus.PublicKey.Compressed), v["consensusKey"]!.GetValue<string>());
        Assert.Equal(consensus.Address.ToString(), v["consensusAddress"]!.GetValue<string>());
        Assert.Equal("cli-one", v["moniker"]!.GetValue<string>());
        if (status == "candidate") Assert.False(v["active"]!.GetValue<bool>());
        Assert.Equal(50_000u, v["commissionPpm"]!.GetValue<uint>());
        Assert.Equal(200_000u, v["maxCommissionPpm"]!.GetValue<uint>());
        Assert.Equal(10_000u, v["maxDailyChangePpm"]!.GetValue<uint>());
        Assert.Equal(123UL, v["power"]!.GetValue<ulong>());

        Assert.Matches(@"(?m)^moniker\s+operator\s+power\s+tokens \(EXT\)\s+commission\s+status$", table.Out);
        Assert.Matches($@"(?m)^cli-one\s+{Dev(1)}\s+123\s+123\.456789\s+5%\s+{status}$", table.Out);
        Assert.Matches(@"(?m)^dev-validator\s+\S+\s+1000\s+1000\s+\S+\s+active$", table.Out);
        Assert.Matches(@"(?m)^epoch\s+\d+$", table.Out);
        Assert.Matches(@"(?m)^total power\s+\d+$", table.Out);

        if (status == "candidate") Assert.DoesNotContain(active["validators"]!.AsArray(), x => x!["operator"]!.GetValue<string>() == Dev(1));

        Assert.Matches($@"(?m)^status\s+{status}$", one.Out);
        Assert.Matches(@"(?m)^tokens\s+123\.456789 EXT$", one.Out);
        Assert.Matches(@"(?m)^max commission\s+20%$", one.Out);
        Assert.Equal("cli-one", (await Run(0, "stake", "validator", Dev(1), "--json")).Json["moniker"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delegate_undelegate_and_redelegate_show_exact_amounts()
    {
        await CreateValidator(3, "cli-three", "10");
        await CreateValidator(8, "cli-eight", "10");

        var delegated = (await Run(0, "stake", "delegate", "--from", "dev:2", "--validator", Dev(3), "--amount", "25.5", "--wait", "--json")).Json;
        Assert.Equal("success", delegated["receipt"]!["status"]!.GetValue<string>());
        var delegations = (await Run(0, "stake", "delegations", Dev(2), "--json")).Json.AsArray();
        var d = Assert.Single(delegations)!;
        Assert.Equal(Dev(3), d["validator"]!.GetValue<string>());
        Assert.Equal(Amount.Parse("25.5"), Units(d["amount"]));
        Assert.Matches($@"(?m)^{Dev(3)}\s+cli-three\s+25\.5$", (await Run(0, "stake", "delegations", Dev(2))).Out);
        Assert.Equal(Amount.Parse("35.5"), Units((await ValidatorInList(Dev(3)))["tokens"]));

        var undelegated = await Run(0, "stake", "undelegate", "--from", "dev:2", "--validator", Dev(3), "--amount", "5.25", "--wait", "--json");
        Assert.Equal("success", undelegated.Json["receipt"]!["status"]!.GetValue<string>());
        var completionMs = undelegated.Json["completionMs"]!.GetValue<ulong>();
        var unbondings = (await Run(0, "stake", "unbondings", Dev(2), "--json")).Json.AsArray();
        var u = Assert.Single(unbondings)!;
        Assert.Equal(Dev(3), u["validator"]!.GetValue<string>());
        Assert.Equal(Amount.Parse("5.25"), Units(u["amount"]));
        Assert.Equal(completionMs, u["completionMs"]!.GetValue<ulong>());
        Assert.Matches($@"(?m)^{Dev(3)}\s+5\.25\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{{3}} UTC$", (await Run(0, "stake", "unbondings", Dev(2))).Out);
        Assert.Equal(Amount.Parse("20.25"), Units(Assert.Single((await Run(0, "stake", "delegations", Dev(2), "--json")).Json.AsArray())!["amount"]));

        // Human output of --wait prints when the unbonding completes (120 s unbonding period on the dev chain).
        var human = await Run(0, "stake", "undelegate", "--from", "dev:2", "--validator", Dev(3), "--amount", "0.25", "--wait");
        Assert.Matches(@"(?m)^unbonding completes\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$", human.Out);
        Assert.Contains("unbonding_started", human.Out);

        await Run(0, "stake", "redelegate", "--from", "dev:2", "--src", Dev(3), "--dst", Dev(8), "--amount", "20", "--wait");
        var after = (await Run(0, "stake", "delegations", Dev(2), "--json")).Json.AsArray().OfType<JsonObject>()
            .ToDictionary(x => x["validator"]!.GetValue<string>(), x => Units(x["amount"]));
        Assert.Equal(Amount.Parse("20"), after[Dev(8)]);
        Assert.False(after.ContainsKey(Dev(3))); // all of it moved: the delegation is gone

        var same = await Run(1, "stake", "redelegate", "--from", "dev:2", "--src", Dev(8), "--dst", Dev(8), "--amount", "1");
        Assert.StartsWith("excraft: redelegation needs two different validators", same.Error);
    }

    [Fact]
    public async Task Edit_changes_the_moniker_and_keeps_the_commission()
    {
        await CreateValidator(4, "cli-four", "1");
        var edited = (await Run(0, "stake", "edit", "--from", "dev:4", "--moniker", "cli-four-renamed", "--wait", "--json")).Json;
        Assert.Equal("success", edited["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal(50_000u, edited["payload"]!["commissionPpm"]!.GetValue<uint>());

        var v = (await Run(0, "stake", "validator", Dev(4), "--json")).Json;
        Assert.Equal("cli-four-renamed", v["moniker"]!.GetValue<string>());
        Assert.Equal(50_000u, v["commissionPpm"]!.GetValue<uint>());

        var notValidator = await Run(5, "stake", "edit", "--from", "dev:9", "--moniker", "x");
        Assert.StartsWith($"excraft: {Dev(9)} is not a validator", notValidator.Error);
        var nothing = await Run(1, "stake", "edit", "--from", "dev:4");
        Assert.StartsWith("excraft: stake edit needs --moniker NAME, --commission RATE or both", nothing.Error);
    }

    [Fact]
    public async Task Unjail_of_a_validator_that_is_not_jailed_fails_with_exit_3_and_the_node_message()
    {
        await CreateValidator(5, "cli-five", "1");
        var run = await Run(3, "stake", "unjail", "--from", "dev:5", "--wait", "--json");
        Assert.Equal("failed", run.Json["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal("unjail", run.Json["kind"]!.GetValue<string>());
        Assert.Contains($"validator {Dev(5)} is not jailed", run.Error);
        Assert.StartsWith("excraft: transaction 0x", run.Error);
    }

    [Fact]
    public async Task Params_match_the_dev_genesis()
    {
        var genesis = DevGenesis.Load();
        var s = genesis.Staking;
        var p = (await Run(0, "stake", "params", "--json")).Json;
        Assert.Equal(s.MinSelfBond, Units(p["minSelfBond"]));
        Assert.Equal(Amount.Parse("1"), Units(p["minSelfBond"]));
        Assert.Equal(s.MaxValidators, p["maxValidators"]!.GetValue<int>());
        Assert.Equal(60_000UL, p["epochLengthMs"]!.GetValue<ulong>());
        Assert.Equal(s.EpochLengthMs, p["epochLengthMs"]!.GetValue<ulong>());
        Assert.Equal(120_000UL, p["unbondingPeriodMs"]!.GetValue<ulong>());
        Assert.Equal(s.UnbondingPeriodMs, p["unbondingPeriodMs"]!.GetValue<ulong>());
        Assert.Equal(s.DoubleSignSlashPpm, p["doubleSignSlashPpm"]!.GetValue<uint>());
        Assert.Equal(s.DowntimeSlashPpm, p["downtimeSlashPpm"]!.GetValue<uint>());
        Assert.Equal(s.DowntimeWindowBlocks, p["downtimeWindowBlocks"]!.GetValue<int>());
        Assert.Equal(s.DowntimeMinSignedPpm, p["downtimeMinSignedPpm"]!.GetValue<uint>());
        Assert.Equal(s.DowntimeJailMs, p["downtimeJailMs"]!.GetValue<ulong>());
        Assert.Equal(genesis.Parameters.MinFee, Units(p["minFee"]));

        var human = await Run(0, "stake", "params");
        Assert.Matches(@"(?m)^min self-bond\s+1 EXT$", human.Out);
        Assert.Matches(@"(?m)^epoch length\s+1 min$", human.Out);
        Assert.Matches(@"(?m)^unbonding period\s+2 min$", human.Out);
        Assert.Matches(@"(?m)^double-sign slash\s+5%$", human.Out);
    }

    [Fact]
    public async Task Evidence_of_a_double_sign_tombstones_the_validator()
    {
        var consensus = await CreateValidator(6, "cli-six", "10");
        var evidence = new DoubleSignEvidence(
            Vote.Create(DevChainId, VoteType.Prevote, 1, 0, Enumerable.Repeat((byte)0xaa, 32).ToArray(), consensus),
            Vote.Create(DevChainId, VoteType.Prevote, 1, 0, Enumerable.Repeat((byte)0xbb, 32).ToArray(), consensus));
        using var temp = new TempDirectory();
        var file = temp.File("evidence.hex", Hex.Encode(evidence.Encode()) + "\n");

        var sent = (await Run(0, "stake", "evidence", "--from", "dev:7", "--file", file, "--wait", "--json")).Json;
        Assert.Equal("success", sent["receipt"]!["status"]!.GetValue<string>());
        var slashed = sent["receipt"]!["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "slashed")!;
        Assert.Equal(Dev(6), slashed["attributes"]!["operator"]!.GetValue<string>());

        var v = await ValidatorInList(Dev(6));
        Assert.True(v["tombstoned"]!.GetValue<bool>());
        Assert.Equal(Amount.Parse("9.5"), Units(v["tokens"])); // 5% double-sign slash
        Assert.Matches($@"(?m)^cli-six\s+{Dev(6)}\s+9\s+9\.5\s+5%\s+tombstoned$", (await Run(0, "stake", "validators")).Out);

        var same = new DoubleSignEvidence(evidence.A, evidence.A);
        var bad = await Run(1, "stake", "evidence", "--from", "dev:7", "--file", temp.File("same.hex", Hex.Encode(same.Encode())));
        Assert.Contains("votes are for the same block", bad.Error);
        var garbage = await Run(1, "stake", "evidence", "--from", "dev:7", "--file", temp.File("garbage.hex", "0xc0"));
        Assert.Contains("does not hold double-sign evidence", garbage.Error);
    }

    [Fact]
    public async Task Bad_arguments_and_unknown_validators()
    {
        var rate = await Run(1, "stake", "create-validator", "--from", "dev:0", "--consensus-key", Hex.Encode(PrivateKey.Generate().PublicKey.Compressed),
            "--moniker", "x", "--commission", "101%", "--max-commission", "0.0000001", "--max-daily-change", "1%", "--self-bond", "1");
        Assert.Contains("--commission: '101%' is above 100%", rate.Error);
        Assert.Contains("--max-commission: '0.0000001' is more precise than 1 ppm", rate.Error);

        var bothKeys = await Run(1, "stake", "create-validator", "--from", "dev:0", "--moniker", "x",
            "--commission", "1%", "--max-commission", "1%", "--max-daily-change", "1%", "--self-bond", "1");
        Assert.Contains("exactly one of --consensus-key HEX and --consensus-key-file FILE", bothKeys.Error);

        var badKey = await Run(1, "stake", "create-validator", "--from", "dev:0", "--consensus-key", "0x05" + new string('0', 64), "--moniker", "x",
            "--commission", "1%", "--max-commission", "1%", "--max-daily-change", "1%", "--self-bond", "1");
        Assert.Contains("--consensus-key: not a secp256k1 public key", badKey.Error);

        var missing = await Run(5, "stake", "validator", Dev(0));
        Assert.StartsWith($"excraft: {Dev(0)} is not a validator", missing.Error);
        Assert.Equal("", missing.Out);

        Assert.Equal("[]", (await Run(0, "stake", "delegations", Dev(0), "--json")).Json.ToJsonString());
        Assert.Contains("has no unbondings", (await Run(0, "stake", "unbondings", Dev(0))).Out);
    }
}
