using System.Text.Json.Nodes;

namespace ExCraft.Cli.Tests;

/// <summary>
/// excraft market params [set] against a real dev node (<see cref="NodeFixture"/>, its own so the
/// changed parameters touch no other class): dev:0 is the dev chain's markets authority; genesis
/// parameters are the defaults (80% burn, 5% slippage). Every set uses --wait, so what is
/// asserted afterwards is committed or refused for good.
/// </summary>
public sealed class MarketParamsCommandTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private async Task<CliRun> Run(int exitCode, params string[] args)
    {
        var run = await TestCli.RunAsync([.. args, "--rpc", node.Rpc]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode} from 'excraft {string.Join(' ', args)}', got {run}\nnode log:\n{node.Log}");
        return run;
    }

    private async Task<(uint Burn, uint Slippage)> Params()
    {
        var json = (await Run(0, "market", "params", "--json")).Json;
        return (json["feeBurnPpm"]!.GetValue<uint>(), json["buybackSlippagePpm"]!.GetValue<uint>());
    }

    [Fact]
    public async Task The_authority_sets_the_parameters_and_a_low_burn_share_or_another_sender_is_refused_with_nothing_changed()
    {
        var shown = await Run(0, "market", "params");
        Assert.Matches(@"(?m)^fee burn share\s+80% \(800000 ppm\)$", shown.Out);
        Assert.Matches(@"(?m)^buyback slippage\s+5% \(50000 ppm\)$", shown.Out);
        Assert.Equal((800_000u, 50_000u), await Params());

        var set = (await Run(0, "market", "params", "set", "--fee-burn-ppm", "900000", "--buyback-slippage-ppm", "100000", "--from", "dev:0", "--wait", "--json")).Json;
        Assert.Equal("success", set["receipt"]!["status"]!.GetValue<string>());
        Assert.Equal((900_000u, 100_000u), await Params());

        // Only one value given: the other keeps its current one.
        await Run(0, "market", "params", "set", "--buyback-slippage-ppm", "75000", "--from", "dev:0", "--wait");
        Assert.Equal((900_000u, 75_000u), await Params());

        // The CLI checks the payload before signing (as the node would): a bad argument, nothing sent.
        var low = await Run(1, "market", "params", "set", "--fee-burn-ppm", "799999", "--from", "dev:0", "--wait");
        Assert.Contains("below the floor of 800000 ppm", low.Error);
        var stranger = await Run(3, "market", "params", "set", "--fee-burn-ppm", "1000000", "--from", "dev:3", "--wait");
        Assert.Contains("only the markets authority", stranger.Error);
        var none = await Run(1, "market", "params", "set", "--from", "dev:0");
        Assert.Contains("--fee-burn-ppm", none.Error);
        Assert.Equal((900_000u, 75_000u), await Params());
    }
}
