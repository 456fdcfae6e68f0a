using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ExCraft.Cli.Testnet;
using ExCraft.Core.Crypto;
using ExCraft.Network;
using ExCraft.Node;

namespace ExCraft.Cli.Commands;

/// <summary>
/// excraft testnet up | status | down | reset | add-node | stop-node | start-node: an N-validator
/// chain on this machine, every node its own process on 127.0.0.1 with its own ports and data.
/// </summary>
public static class TestnetCommands
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    public static Command Create(CliCommandFactory factory)
    {
        var dir = new Option<string?>("--dir") { Description = "Where the testnet lives [default: ./testnet/.run if ./testnet exists, else ~/.excraft/testnet]", HelpName = "DIR" };
        var command = new Command("testnet", "Run a local multi-validator testnet on 127.0.0.1");
        command.Add(Up(factory, dir));
        command.Add(Status(factory, dir));
        command.Add(Down(factory, dir));
        command.Add(Reset(factory, dir));
        command.Add(AddNode(factory, dir));
        command.Add(StopNode(factory, dir));
        command.Add(StartNode(factory, dir));
        return command;
    }

    private static TestnetLayout Layout(ParseResult parse, Option<string?> dir) => new(parse.GetValue(dir) ?? (Directory.Exists("testnet")
        ? Path.Combine("testnet", ".run")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".excraft", "testnet")));

    private static Command Up(CliCommandFactory factory, Option<string?> dir)
    {
        var validators = new Option<int>("--validators") { Description = "Number of validators", DefaultValueFactory = _ => 4, HelpName = "N" };
        var rpcPort = new Option<int>("--rpc-port") { Description = "RPC port of node 0; node i uses this + i", DefaultValueFactory = _ => 9600, HelpName = "PORT" };
        var p2pPort = new Option<int>("--p2p-port") { Description = "P2P port of node 0; node i uses this + i", DefaultValueFactory = _ => 27000, HelpName = "PORT" };
        var interval = new Option<int>("--block-interval-ms") { Description = "Pause between blocks", DefaultValueFactory = _ => 500, HelpName = "MS" };
        var epoch = new Option<int>("--epoch-ms") { Description = "Epoch length: the active set is recomputed this often", DefaultValueFactory = _ => 30_000, HelpName = "MS" };
        var maxValidators = new Option<int>("--max-validators") { Description = "Size of the active set", DefaultValueFactory = _ => 101, HelpName = "N" };
        var timeout = CliOptions.TimeoutOption();
        var up = new Command("up", "Create (or restart) the testnet, start its nodes and wait until they make blocks") { dir, validators, rpcPort, p2pPort, interval, epoch, maxValidators, timeout };
        factory.SetAction(up, async (parse, context) =>
        {
            var layout = Layout(parse, dir);
            var nodes = layout.Load();
            var blockInterval = parse.GetValue(interval);
            if (nodes.Any(n => NodeLauncher.IsRunning(n.Pid))) throw new CliException(ExitCodes.Usage, $"the testnet in {layout.Directory} is already up (use `excraft testnet status`, `down` or `reset`)");
            if (nodes.Count == 0)
            {
                var count = parse.GetValue(validators);
                if (count is < 1 or > 32) throw new CliException(ExitCodes.Usage, "--validators must be 1 to 32");
                var keys = Enumerable.Range(0, count).Select(_ => PrivateKey.Generate()).ToList();
                nodes = Create(layout, keys, parse.GetValue(rpcPort), parse.GetValue(p2pPort),
                    TestnetGenesis.Create(keys, blockInterval, parse.GetValue(epoch), parse.GetValue(maxValidators), DateTimeOffset.UtcNow));
            }
            foreach (var node in nodes) node.Pid = NodeLauncher.Start(layout, node, nodes.Where(o => o != node && o.Validator).Select(o => o.PeerAddress), blockInterval);
            layout.Save(nodes);
            await WaitForBlocksAsync(nodes, 2, TimeSpan.FromSeconds(parse.GetValue(timeout) * 3), context.Cancel);
            Print(context, layout, nodes, await QueryAsync(nodes, context.Cancel));
            return ExitCodes.Success;
        });
        return up;
    }

    /// <summary>Keys, genesis and node folders for a new testnet.</summary>
    private static List<TestnetNode> Create(TestnetLayout layout, List<PrivateKey> keys, int rpcPort, int p2pPort, JsonObject genesis)
    {
        Directory.CreateDirectory(layout.Directory);
        File.WriteAllText(layout.GenesisPath, genesis.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var nodes = new List<TestnetNode>();
        for (var i = 0; i < keys.Count; i++)
        {
            var node = new TestnetNode { Index = i, Name = $"node{i}", Validator = true, RpcPort = rpcPort + i, P2pPort = p2pPort + i, ValidatorAddress = keys[i].Address.ToString() };
            Directory.CreateDirectory(layout.NodeDir(node));
            ValidatorKeyFile.Save(layout.ValidatorKeyPath(node), keys[i]);
            var nodeKey = NodeKey.Generate();
            nodeKey.Save(layout.NodeKeyPath(node));
            node.NodeId = nodeKey.NodeId.ToString();
            nodes.Add(node);
        }
        return nodes;
    }

    private static Command Status(CliCommandFactory factory, Option<string?> dir)
    {
        var status = new Command("status", "Show each node's height, peers and role, and the validator set") { dir };
        factory.SetAction(status, async (parse, context) =>
        {
            var layout = Layout(parse, dir);
            var nodes = layout.Load();
            if (nodes.Count == 0) throw new CliException(ExitCodes.NotFound, $"no testnet in {layout.Directory} (start one with `excraft testnet up`)");
            Print(context, layout, nodes, await QueryAsync(nodes, context.Cancel));
            return ExitCodes.Success;
        });
        return status;
    }

    private static Command Down(CliCommandFactory factory, Option<string?> dir)
    {
        var down = new Command("down", "Stop every node (graceful shutdown); data and keys stay") { dir };
        factory.SetAction(down, (parse, context) =>
        {
            var layout = Layout(parse, dir);
            var nodes = layout.Load();
            foreach (var node in nodes)
            {
                NodeLauncher.Stop(node.Pid, hard: false, StopTimeout);
                node.Pid = null;
            }
            if (nodes.Count > 0) layout.Save(nodes);
            context.Output.Result(new JsonObject { ["stopped"] = nodes.Count }, output => output.Line($"stopped {nodes.Count} node(s) in {layout.Directory}"));
            return Task.FromResult(ExitCodes.Success);
        });
        return down;
    }

    private static Command Reset(CliCommandFactory factory, Option<string?> dir)
    {
        var reset = new Command("reset", "Stop every node and delete the testnet (keys, genesis and data)") { dir };
        factory.SetAction(reset, (parse, context) =>
        {
            var layout = Layout(parse, dir);
            foreach (var node in layout.Load()) NodeLauncher.Stop(node.Pid, hard: false, StopTimeout);
            if (Directory.Exists(layout.Directory)) Directory.Delete(layout.Directory, recursive: true);
            context.Output.Result(new JsonObject { ["deleted"] = layout.Directory }, output => output.Line($"deleted {layout.Directory}"));
            return Task.FromResult(ExitCodes.Success);
        });
        return reset;
    }

    private static Command AddNode(CliCommandFactory factory, Option<string?> dir)
    {
        var timeout = CliOptions.TimeoutOption();
        var add = new Command("add-node", "Start a full node (no validator key) that syncs from the others") { dir, timeout };
        factory.SetAction(add, async (parse, context) =>
        {
            var layout = Layout(parse, dir);
            var nodes = layout.Load();
            if (nodes.Count == 0) throw new CliException(ExitCodes.NotFound, $"no testnet in {layout.Directory}");
            var last = nodes[^1];
            var node = new TestnetNode { Index = last.Index + 1, Name = $"node{last.Index + 1}", Validator = false, RpcPort = last.RpcPort + 1, P2pPort = last.P2pPort + 1 };
            Directory.CreateDirectory(layout.NodeDir(node));
            var key = NodeKey.Generate();
            key.Save(layout.NodeKeyPath(node));
            node.NodeId = key.NodeId.ToString();
            var interval = ReadBlockInterval(layout);
            node.Pid = NodeLauncher.Start(layout, node, nodes.Where(n => n.Validator).Select(n => n.PeerAddress), interval);
            nodes.Add(node);
            layout.Save(nodes);
            var target = await HeightAsync(nodes[0], context.Cancel) ?? 1;
            await WaitForBlocksAsync([node], target, TimeSpan.FromSeconds(parse.GetValue(timeout) * 4), context.Cancel);
            Print(context, layout, nodes, await QueryAsync(nodes, context.Cancel));
            return ExitCodes.Success;
        });
        return add;
    }

    private static Command StopNode(CliCommandFactory factory, Option<string?> dir)
    {
        var index = new Argument<int>("INDEX") { Description = "The node's number" };
        var kill = new Option<bool>("--kill") { Description = "kill -9 instead of a graceful stop" };
        var stop = new Command("stop-node", "Stop one node") { dir, index, kill };
        factory.SetAction(stop, (parse, context) =>
        {
            var layout = Layout(parse, dir);
            var nodes = layout.Load();
            var node = nodes.FirstOrDefault(n => n.Index == parse.GetValue(index)) ?? throw new CliException(ExitCodes.NotFound, $"no node {parse.GetValue(index)}");
            NodeLauncher.Stop(node.Pid, parse.GetValue(kill), StopTimeout);
            node.Pid = null;
            layout.Save(nodes);
            context.Output.Result(new JsonObject { ["stopped"] = node.Name }, output => output.Line($"stopped {node.Name}"));
            return Task.FromResult(ExitCodes.Success);
        });
        return stop;
    }

    private static Command StartNode(CliCommandFactory factory, Option<string?> dir)
    {
        var index = new Argument<int>("INDEX") { Description = "The node's number" };
        var start = new Command("start-node", "Start one stopped node again") { dir, index };
        factory.SetAction(start, (parse, context) =>
        {
            var layout = Layout(parse, dir);
            var nodes = layout.Load();
            var node = nodes.FirstOrDefault(n => n.Index == parse.GetValue(index)) ?? throw new CliException(ExitCodes.NotFound, $"no node {parse.GetValue(index)}");
            if (NodeLauncher.IsRunning(node.Pid)) throw new CliException(ExitCodes.Usage, $"{node.Name} is already running");
            node.Pid = NodeLauncher.Start(layout, node, nodes.Where(o => o != node && o.Validator).Select(o => o.PeerAddress), ReadBlockInterval(layout));
            layout.Save(nodes);
            context.Output.Result(new JsonObject { ["started"] = node.Name, ["pid"] = node.Pid }, output => output.Line($"started {node.Name} (pid {node.Pid})"));
            return Task.FromResult(ExitCodes.Success);
        });
        return start;
    }

    private static int ReadBlockInterval(TestnetLayout layout) =>
        JsonNode.Parse(File.ReadAllText(layout.GenesisPath))!["params"]!["block_interval_ms"]!.GetValue<int>();

    private static async Task<ulong?> HeightAsync(TestnetNode node, CancellationToken cancel) =>
        (await InfoAsync(node, cancel))?["height"]?.GetValue<ulong>();

    private static async Task<JsonObject?> InfoAsync(TestnetNode node, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var body = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ext_nodeInfo\"}", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(node.RpcUrl, body, cancel);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancel))?["result"] as JsonObject;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task<List<JsonObject?>> QueryAsync(List<TestnetNode> nodes, CancellationToken cancel) =>
        [.. await Task.WhenAll(nodes.Select(n => InfoAsync(n, cancel)))];

    /// <summary>Waits (bounded) until every node reports at least the given height.</summary>
    private static async Task WaitForBlocksAsync(List<TestnetNode> nodes, ulong height, TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var heights = await Task.WhenAll(nodes.Select(n => HeightAsync(n, cancel)));
            if (heights.All(h => h >= height)) return;
            await Task.Delay(250, cancel);
        }
        throw new CliException(ExitCodes.TimedOut, $"nodes did not reach height {height} within {timeout.TotalSeconds:F0} s; see the node.log files");
    }

    private static void Print(CommandContext context, TestnetLayout layout, List<TestnetNode> nodes, List<JsonObject?> infos)
    {
        var json = new JsonArray(nodes.Select((n, i) => (JsonNode)new JsonObject
        {
            ["name"] = n.Name,
            ["rpc"] = n.RpcUrl,
            ["p2p"] = n.PeerAddress,
            ["validator"] = n.Validator ? n.ValidatorAddress : null,
            ["pid"] = n.Pid,
            ["running"] = NodeLauncher.IsRunning(n.Pid),
            ["height"] = infos[i]?["height"]?.GetValue<ulong>(),
            ["peers"] = infos[i]?["peers"]?.GetValue<int>(),
            ["syncing"] = infos[i]?["syncing"]?.GetValue<bool>(),
            ["log"] = layout.LogPath(n),
        }).ToArray());
        context.Output.Result(new JsonObject { ["directory"] = layout.Directory, ["nodes"] = json }, output =>
        {
            output.Line($"testnet in {layout.Directory}");
            output.Table(["node", "role", "rpc", "height", "peers", "state"], nodes.Select((n, i) => (IReadOnlyList<string>)
            [
                n.Name, n.Validator ? "validator" : "full node", n.RpcUrl,
                infos[i]?["height"]?.GetValue<ulong>().ToString(CultureInfo.InvariantCulture) ?? "-",
                infos[i]?["peers"]?.GetValue<int>().ToString(CultureInfo.InvariantCulture) ?? "-",
                !NodeLauncher.IsRunning(n.Pid) ? "stopped" : infos[i] is null ? "starting" : infos[i]!["syncing"]?.GetValue<bool>() == true ? "syncing" : "running",
            ]));
        });
    }
}
