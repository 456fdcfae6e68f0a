using System.Text.Json.Nodes;
using ExCraft.Core.Genesis;

namespace ExCraft.Cli.Tests;

/// <summary>excraft kyc and excraft pool against a real dev node (<see cref="NodeFixture"/>): dev:0 is the dev chain's KYC authority.</summary>
public sealed class PoolCommandTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static string Dev(int index) => DevKeys.Account(index).Address.ToString();

    private async Task<CliRun> Run(int exitCode, params string[] args)
    {
        var run = await TestCli.RunAsync([.. args, "--rpc", node.Rpc]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode} from 'excraft {string.Join(' ', args)}', got {run}\nnode log:\n{node.Log}");
        return run;
    }

    [Fact]
    public async Task Kyc_attest_status_and_a_refused_attestation()
    {
        await Run(0, "kyc", "attest", "--from", "dev:0", "--account", Dev(5), "--expiry-height", "1000000", "--wait");
        var status = (await Run(0, "kyc", "status", Dev(5), "--json")).Json;
        Assert.True(status["attested"]!.GetValue<bool>());
        Assert.False(status["verified"]!.GetValue<bool>()); // not registered
        Assert.Contains("until height 1000000", (await Run(0, "kyc", "status", Dev(5))).Out);

        var refused = await Run(3, "kyc", "attest", "--from", "dev:6", "--account", Dev(6), "--expiry-height", "1000000", "--wait");
        Assert.Contains("is not a KYC authority", refused.Error);
    }

    [Fact]
    public async Task Pool_create_join_list_show_and_delete()
    {
        await Run(0, "pool", "create", "--from", "dev:2", "--name", "cli-pool", "--retained", "10%", "--wait");
        var shown = (await Run(0, "pool", "show", "cli-pool", "--json")).Json;
        var id = shown["id"]!.GetValue<ulong>().ToString();
        Assert.Equal(Dev(2), shown["master"]!.GetValue<string>());
        Assert.Equal(100_000u, shown["retainedPpm"]!.GetValue<uint>());

        await Run(0, "pool", "join", "--from", "dev:3", "--pool", id, "--wait");
        Assert.Equal(1UL, (await Run(0, "pool", "show", id, "--json")).Json["members"]!.GetValue<ulong>());
        var listed = (await Run(0, "pool", "list", "--json")).Json["pools"]!.AsArray().OfType<JsonObject>();
        Assert.Contains(listed, p => p["name"]!.GetValue<string>() == "cli-pool");
        Assert.Contains("cli-pool", (await Run(0, "pool", "list")).Out);

        // Members: dev:3, in the pool from the next epoch (a join counts from the epoch after it).
        var members = (await Run(0, "pool", "members", "cli-pool", "--json")).Json;
        var member = Assert.Single(members["members"]!.AsArray().OfType<JsonObject>());
        Assert.Equal(Dev(3), member["account"]!.GetValue<string>());
        Assert.Equal(ulong.Parse(id), member["poolNext"]!.GetValue<ulong>());
        Assert.Null(members["next"]);
        Assert.Contains(Dev(3), (await Run(0, "pool", "members", id)).Out);
        // Rewards: one record per closed epoch since the pool exists (none while its first epoch runs); never another pool's.
        var rewards = (await Run(0, "pool", "rewards", id, "--json")).Json.AsArray().OfType<JsonObject>().ToList();
        Assert.All(rewards, r => Assert.Equal(ulong.Parse(id), r["pool"]!.GetValue<ulong>()));
        Assert.All(rewards, r => Assert.False(r["eligible"]!.GetValue<bool>())); // one member: far below the verified-member floor
        var table = (await Run(0, "pool", "rewards", id)).Out;
        Assert.Contains(rewards.Count == 0 ? "No closed epoch in the range." : "eligible", table);
        var unknown = await Run(3, "pool", "members", "no-such-pool");
        Assert.Contains("no such pool", unknown.Error);
        var backwards = await Run(3, "pool", "rewards", id, "--from", "5", "--to", "4");
        Assert.Contains("is after toEpoch", backwards.Error);

        var notMaster = await Run(3, "pool", "delete", "--from", "dev:3", "--pool", id, "--wait");
        Assert.Contains("only pool", notMaster.Error);
        await Run(0, "pool", "delete", "--from", "dev:2", "--pool", id, "--wait");
        Assert.Equal("deleted", (await Run(0, "pool", "show", id, "--json")).Json["status"]!.GetValue<string>());
        await Run(5, "pool", "show", "cli-pool"); // the name is free again: no live pool has it
    }
}
