using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Cli.Tests;

/// <summary>excraft emission plot (local, no node) and supply / rewards against a real dev node (<see cref="NodeFixture"/>).</summary>
public sealed class EmissionCommandTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static UInt128 Units(JsonNode? value) => UInt128.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(null, PlotSpan.FirstYear)]
    [InlineData("10", PlotSpan.TenYears)]
    [InlineData("100", PlotSpan.HundredYears)]
    public async Task Plot_prints_the_charts_lines(string? years, PlotSpan span)
    {
        var run = await TestCli.RunAsync(years is null ? ["emission", "plot"] : ["emission", "plot", "--years", years]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = EmissionPlot.Render(EmissionTable.Shared, span);
        Assert.Equal(expected, run.Out.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd('\r')).ToList());
        Assert.Contains(span.Title(), run.Out);
    }

    [Fact]
    public async Task Plot_refuses_another_span()
    {
        var run = await TestCli.RunAsync("emission", "plot", "--years", "5");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--years: must be 1, 10 or 100", run.Error + run.Out);
        Assert.DoesNotContain("#", run.Out);
    }

    [Fact]
    public async Task Supply_shows_the_nodes_breakdown()
    {
        var json = (await TestCli.RunAsync("emission", "supply", "--json", "--rpc", node.Rpc)).Json;
        Assert.Equal(Units(json["genesis"]) + Units(json["emitted"]!["total"]) - Units(json["burned"]), Units(json["supply"]));
        Assert.Equal(Amount.FromWhole(1_000), Units(json["bonded"])); // the dev validator's self-bond
        Assert.Equal(Units(json["supply"]) - Units(json["bonded"]) - Units(json["unbonding"]) - Units(json["htlcEscrow"]) - Units(json["swapOfferEscrow"]) - Units(json["poolStakes"]), Units(json["circulating"]));
        Assert.Equal(Amount.FromWhole(10_000_000_000), Units(json["hardCap"]));

        var human = await TestCli.RunAsync("emission", "supply", "--rpc", node.Rpc);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("circulating", human.Out);
        Assert.Contains($"{Amount.Format(Amount.FromWhole(1_000))} EXT", human.Out);
    }

    [Fact]
    public async Task Rewards_of_an_unregistered_account_are_none()
    {
        var account = DevKeys.Account(7).Address.ToString();
        var json = (await TestCli.RunAsync("emission", "rewards", account, "--json", "--rpc", node.Rpc)).Json;
        Assert.Equal("0", json["total"]!.GetValue<string>());
        var human = await TestCli.RunAsync("emission", "rewards", account, "--rpc", node.Rpc);
        Assert.Contains("never", human.Out);
    }
}
