using System.CommandLine;
using System.Globalization;

namespace ExCraft.Cli.Commands;

/// <summary>excraft node info: what ext_nodeInfo reports.</summary>
public static class NodeCommands
{
    public static Command Create(CliCommandFactory factory)
    {
        var info = new Command("info", "Show the node's version, chain, head and mempool");
        factory.SetAction(info, async (_, context) =>
        {
            var node = await context.Node.NodeInfoAsync();
            context.Output.Result(node, output => output.Fields(node.Select(p => (p.Key, Text(p.Value)))));
            return ExitCodes.Success;
        });
        var status = new Command("status", "A summary for operators: height, consensus, peers, sync, mempool, validator set");
        factory.SetAction(status, async (_, context) =>
        {
            var node = await context.Node.NodeInfoAsync();
            var validators = await context.Node.ValidatorsAsync(includeCandidates: false);
            var active = validators["active"]!.AsArray();
            var own = node["validator"]?.GetValue<string>();
            var ownEntry = active.FirstOrDefault(v => v!["consensusAddress"]!.GetValue<string>() == own);
            var summary = new System.Text.Json.Nodes.JsonObject
            {
                ["height"] = node["height"]?.DeepClone(),
                ["mode"] = node["mode"]?.DeepClone(),
                ["consensusHeight"] = node["consensusHeight"]?.DeepClone(),
                ["round"] = node["round"]?.DeepClone(),
                ["peers"] = node["peers"]?.DeepClone(),
                ["syncing"] = node["syncing"]?.DeepClone(),
                ["mempoolSize"] = node["mempoolSize"]?.DeepClone(),
                ["validator"] = own,
                ["validatorActive"] = ownEntry is not null,
                ["validatorPower"] = ownEntry?["power"]?.DeepClone(),
                ["activeValidators"] = active.Count,
                ["totalPower"] = validators["totalPower"]?.DeepClone(),
                ["epoch"] = validators["epoch"]?.DeepClone(),
            };
            context.Output.Result(summary, output => output.Fields(
            [
                ("chain", $"{Text(node["chainName"])} (id {Text(node["chainId"])})"),
                ("height", Text(node["height"])),
                ("consensus", Text(node["mode"]) == "bft" ? $"height {Text(node["consensusHeight"])}, round {Text(node["round"])}" : "single validator"),
                ("peers", Text(node["peers"])),
                ("sync", node["syncing"]?.GetValue<bool>() == true ? "catching up" : "in step"),
                ("mempool", $"{Text(node["mempoolSize"])} transactions"),
                ("validator", own is null ? "none (full node)" : ownEntry is null ? $"{own} (not in the active set)" : $"{own} (active, power {Text(ownEntry["power"])})"),
                ("active set", $"{active.Count} validators, total power {Text(validators["totalPower"])}, epoch {Text(validators["epoch"])}"),
            ]));
            return ExitCodes.Success;
        });
        return new Command("node", "Query the node") { info, status, Sync(factory) };
    }

    /// <summary>excraft node sync: waits until the node has caught up with its peers, with a progress bar on a terminal.</summary>
    private static Command Sync(CliCommandFactory factory)
    {
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds (exit 6)", DefaultValueFactory = _ => 600, HelpName = "S" };
        var sync = new Command("sync", "Wait until the node has caught up with its peers, showing progress") { timeout };
        factory.SetAction(sync, async (parse, context) =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(parse.GetValue(timeout));
            var node = await context.Node.NodeInfoAsync();
            var start = node["height"]!.GetValue<ulong>();
            var progress = new SyncProgress(context.Output, context.Environment);
            while (true)
            {
                var height = node["height"]!.GetValue<ulong>();
                var target = node["syncTarget"]?.GetValue<ulong>() ?? height;
                progress.Show(start, height, target);
                if (height >= target && node["syncing"]?.GetValue<bool>() != true) break;
                if (DateTime.UtcNow > deadline) throw new CliException(ExitCodes.TimedOut, $"still catching up: height {height} of {target}");
                await Task.Delay(500, context.Cancel);
                node = await context.Node.NodeInfoAsync();
            }
            progress.Done();
            var final = node["height"]!.GetValue<ulong>();
            context.Output.Result(new System.Text.Json.Nodes.JsonObject { ["height"] = final, ["synced"] = true, ["blocksFetched"] = final - start },
                output => output.Line($"in step at height {final} ({final - start} blocks caught up)"));
            return ExitCodes.Success;
        });
        return sync;
    }

    private static string Text(System.Text.Json.Nodes.JsonNode? value) => value switch
    {
        null => "",
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };
}
