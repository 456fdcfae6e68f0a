using System.CommandLine;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Emission.Schedule;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft emission ...: the schedule as the whitepaper's charts (plot, computed locally, no node
/// needed), the node's supply breakdown (supply) and an account's PoS rewards (rewards).
/// docs/emission.md, docs/cli.md.
/// </summary>
public static class EmissionCommands
{
    public static Command Create(CliCommandFactory factory) =>
        new(EmissionModule.ModuleName, "The EXT emission schedule, the supply and PoS rewards")
        {
            Plot(factory), Supply(factory), Rewards(factory),
        };

    private static Command Plot(CliCommandFactory factory)
    {
        var years = new Option<int>("--years")
        {
            Description = "The span to chart: 1 (365 cycles), 10 or 100 years",
            HelpName = "1|10|100",
            DefaultValueFactory = _ => 1,
            Validators =
            {
                r =>
                {
                    if (r.GetValueOrDefault<int>() is not (1 or 10 or 100)) r.AddError("--years: must be 1, 10 or 100");
                },
            },
        };
        var command = new Command("plot", "Chart the tokens released per cycle (one cycle = one epoch) over the first year, ten years or a hundred years") { years };
        factory.SetAction(command, (parse, context) =>
        {
            var span = parse.GetValue(years) switch { 10 => PlotSpan.TenYears, 100 => PlotSpan.HundredYears, _ => PlotSpan.FirstYear };
            foreach (var line in EmissionPlot.Render(EmissionTable.Shared, span)) context.Output.Line(line);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Supply(CliCommandFactory factory)
    {
        var command = new Command("supply", "Show the node's EXT supply breakdown: genesis, emitted per share, burned, bridged, bonded, circulating");
        factory.SetAction(command, async (_, context) =>
        {
            var result = await context.Node.EmissionSupplyAsync();
            context.Output.Result(result, output => output.Fields(SupplyRows(result)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rewards(CliCommandFactory factory) => AccountQuery.Create(factory, "rewards", "Show the PoS rewards an account has received (paid to its balance at each epoch end)",
        "The account (ext1... or 0x...)",
        q => q.Node.EmissionRewardsAsync(q.Address),
        AccountQuery.Fields(r => [("account", r.String("account")), ("PoS rewards", StakingView.Ext(r.Units("total"))),
            ("last paid in epoch", r.OptionalUInt64("lastEpoch")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "never")]));

    public static List<(string Key, string Value)> SupplyRows(JsonObject s) =>
    [
        ("supply", StakingView.Ext(s.Units("supply"))),
        ("hard cap", StakingView.Ext(s.Units("hardCap"))),
        ("genesis", StakingView.Ext(s.Units("genesis"))),
        ("emitted PoE", StakingView.Ext(s["emitted"]!.Units("poe"))),
        ("emitted pools", StakingView.Ext(s["emitted"]!.Units("pools"))),
        ("emitted PoS", StakingView.Ext(s["emitted"]!.Units("pos"))),
        ("carried (PoE, pools, PoS)", $"{StakingView.Ext(s["carried"]!.Units("poe"))}, {StakingView.Ext(s["carried"]!.Units("pools"))}, {StakingView.Ext(s["carried"]!.Units("pos"))}"),
        ("burned", StakingView.Ext(s.Units("burned"))),
        ("bridged in", StakingView.Ext(s.Units("bridgedIn"))),
        ("bridged out", StakingView.Ext(s.Units("bridgedOut"))),
        ("bonded", StakingView.Ext(s.Units("bonded"))),
        ("unbonding", StakingView.Ext(s.Units("unbonding"))),
        ("HTLC escrow", StakingView.Ext(s.Units("htlcEscrow"))),
        ("swap offer escrow", StakingView.Ext(s.Units("swapOfferEscrow"))),
        ("pool stakes", StakingView.Ext(s.Units("poolStakes"))),
        ("circulating", StakingView.Ext(s.Units("circulating"))),
        ("epochs settled", s.UInt64("epochsSettled").ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("first cycle", s.UInt64("firstCycle").ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
