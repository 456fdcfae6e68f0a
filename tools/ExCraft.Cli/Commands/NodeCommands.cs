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
        return new Command("node", "Query the node") { info };
    }

    private static string Text(System.Text.Json.Nodes.JsonNode? value) => value switch
    {
        null => "",
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };
}
