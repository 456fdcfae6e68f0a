using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Core;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft poe ...: a closed epoch's PoE report (report), an account's PoE over epochs (show), and
/// the falsification check (verify: recompute the root and every reward from the published
/// report, check an account's proof; exit 7 if anything differs). docs/poe.md, docs/cli.md.
/// </summary>
public static class PoeCommands
{
    private const int PageSize = 1_000;

    public static Command Create(CliCommandFactory factory) =>
        new(PoeModule.ModuleName, "Proof of Existence: the epoch reports, an account's PoE, and the check that rewards follow the rules")
        {
            Report(factory), Show(factory), Verify(factory),
        };

    private static Option<ulong> EpochOption() => new("--epoch") { Description = "A closed epoch", Required = true };

    private static Command Report(CliCommandFactory factory)
    {
        var epoch = EpochOption();
        var from = new Option<ulong>("--from") { Description = "First entry position to list", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "Entries to list (1..1000)", DefaultValueFactory = _ => 100 };
        var command = new Command("report", "Show a closed epoch's PoE report: totals, root, closing prices, market tallies and a page of entries") { epoch, from, limit };
        factory.SetAction(command, async (parse, context) =>
        {
            var report = (JsonObject)(await context.Node.CallAsync("poe_getReport", parse.GetValue(epoch), parse.GetValue(from), parse.GetValue(limit)))!;
            context.Output.Result(report, output =>
            {
                output.Fields(SummaryRows(report));
                output.Table(["asset", "closing price (EXT per token)", "source"], report["closingPrices"]!.AsArray().Select(x => x!.AsObject()).Select(p => (IReadOnlyList<string>)
                [
                    p.String("asset"), StakingView.Ext(p.Units("price")), PriceSource(p),
                ]));
                output.Table(["market", "trades", "taker buys", "taker sells", "base volume", "last price"], report["markets"]!.AsArray().Select(x => x!.AsObject()).Select(m => (IReadOnlyList<string>)
                [
                    m.String("market"), Num(m.UInt64("trades")), Num(m.UInt64("takerBuys")), Num(m.UInt64("takerSells")), m.String("baseVolume"), m.String("lastPrice"),
                ]));
                output.Table(["#", "masked id", "PoE (EXT)", "buys", "sells", "registered", "fees (EXT)", "reward"], report["entryList"]!.AsArray().Select(x => x!.AsObject()).Select(e => (IReadOnlyList<string>)
                [
                    Num(e.UInt64("position")), e.String("maskedId"), StakingView.Ext(e.Units("poe")), Num(e.UInt64("buys")), Num(e.UInt64("sells")),
                    e.Bool("registered") ? "yes" : "no", StakingView.Ext(e.Units("feesValue")), StakingView.Ext(e.Units("reward")),
                ]));
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliCommandFactory factory)
    {
        var first = new Option<ulong?>("--first") { Description = "First epoch (default: 9 epochs before the last)" };
        var last = new Option<ulong?>("--last") { Description = "Last epoch (default: the last closed epoch)" };
        return AccountQuery.Create(factory, "show", "Show an account's PoE and PoE reward per epoch", "The account (ext1... or 0x...)",
            async q =>
            {
                var status = (await q.Node.CallAsync("poe_status"))!;
                var to = q.Parse.GetValue(last) ?? status.OptionalUInt64("lastClosedEpoch") ?? 0;
                var fromEpoch = q.Parse.GetValue(first) ?? (to >= 9 ? to - 9 : 0);
                return (JsonArray)(await q.Node.CallAsync("poe_getAccount", q.Address.ToString(), fromEpoch, to))!;
            },
            AccountQuery.Table(a => $"{a} has no epochs in that range", ["epoch", "closed", "traded", "PoE (EXT)", "reward (EXT)"], l =>
            [
                Num(l.UInt64("epoch")), l.Bool("closed") ? "yes" : "open", l.Bool("traded") ? "yes" : "no", StakingView.Ext(l.Units("poe")), StakingView.Ext(l.Units("reward")),
            ]), first, last);
    }

    private static Command Verify(CliCommandFactory factory)
    {
        var epoch = EpochOption();
        var account = CliOptions.AddressOption("--account", "Also fetch this account's entry and check its Merkle proof against the committed root");
        account.Required = false;
        var command = new Command("verify", "Recompute a closed epoch's PoE root and every reward from the published report and say whether the chain paid what the rules say") { epoch, account };
        factory.SetAction(command, async (parse, context) =>
        {
            var e = parse.GetValue(epoch);
            var (report, entries) = await FetchAll(context.Node, e);
            var root = (await context.Node.CallAsync("poe_getRoot", e))!;
            var findings = PoeReportCheck.Report(report, entries);
            if (root.String("root") != report.String("root")) findings.Add($"poe_getRoot says {root.String("root")} but the report says {report.String("root")}");
            JsonObject? accountResult = null;
            if (parse.GetResult(account) is not null)
            {
                var who = parse.GetValue(account);
                var found = await context.Node.CallAsync("poe_getEntry", e, who.ToString());
                if (found is null) findings.Add($"{who} has no entry in epoch {e.ToString(CultureInfo.InvariantCulture)}");
                else
                {
                    findings.AddRange(PoeReportCheck.Account(who, e, found.AsObject(), entries, report));
                    accountResult = new JsonObject { ["account"] = who.ToString(), ["entry"] = found["entry"]!.DeepClone(), ["proofSteps"] = found["proof"]!.AsArray().Count };
                }
            }
            var ok = findings.Count == 0;
            var result = new JsonObject
            {
                ["epoch"] = e,
                ["root"] = report.String("root"),
                ["entries"] = entries.Count,
                ["available"] = report.String("available"),
                ["paid"] = report.String("paid"),
                ["account"] = accountResult,
                ["verified"] = ok,
                ["findings"] = new JsonArray(findings.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            };
            context.Output.Result(result, output =>
            {
                output.Line($"epoch {e}: {entries.Count} entries, root {report.String("root")}");
                output.Line($"available PoE share {StakingView.Ext(report.Units("available"))}, paid {StakingView.Ext(report.Units("paid"))}, held back by the wash guard {StakingView.Ext(report.Units("heldByGuard"))}");
                if (accountResult is not null) output.Line($"account {accountResult.String("account")}: entry found, proof checked against the root");
                foreach (var f in findings) output.Line($"MISMATCH: {f}");
                output.Line(ok
                    ? "VERIFIED: the root matches the entries and the chain paid exactly what the rules say"
                    : "NOT VERIFIED: the published report does not follow the rules");
            });
            return ok ? ExitCodes.Success : ExitCodes.VerificationFailed;
        });
        return command;
    }

    /// <summary>The report's summary and every entry, page by page.</summary>
    private static async Task<(JsonObject Report, List<JsonObject> Entries)> FetchAll(NodeClient node, ulong epoch)
    {
        var entries = new List<JsonObject>();
        JsonObject? first = null;
        ulong? from = 0;
        while (from is { } position)
        {
            var page = (JsonObject)(await node.CallAsync("poe_getReport", epoch, position, PageSize))!;
            first ??= page;
            if (page.String("root") != first.String("root")) throw new CliException(ExitCodes.VerificationFailed, "the report changed while it was read");
            entries.AddRange(page["entryList"]!.AsArray().Select(x => x!.AsObject()));
            from = page.OptionalUInt64("next");
        }
        return (first!, entries);
    }

    private static List<(string Key, string Value)> SummaryRows(JsonObject r) =>
    [
        ("epoch", Num(r.UInt64("epoch"))),
        ("root", r.String("root")),
        ("entries", Num(r.UInt64("entries"))),
        ("available PoE share", StakingView.Ext(r.Units("available"))),
        ("paid", StakingView.Ext(r.Units("paid"))),
        ("held back by the wash guard", StakingView.Ext(r.Units("heldByGuard"))),
        ("wash cap", $"{r.UInt64("washCapPpm") / 10_000.0:0.##}% of fees paid"),
        ("registered PoE", StakingView.Ext(r.Units("eligiblePoe"))),
        ("total PoE", StakingView.Ext(r.Units("totalPoe"))),
        ("rewarded accounts", Num(r.UInt64("rewarded"))),
    ];

    private static string PriceSource(JsonObject p) => p.String("source") switch
    {
        "intermediate" => $"through {p.String("via")}",
        "carried" => $"carried from epoch {p.UInt64("fromEpoch").ToString(CultureInfo.InvariantCulture)}",
        var s => s,
    };

    private static string Num(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
