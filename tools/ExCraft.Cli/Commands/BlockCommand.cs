using System.CommandLine;
using System.Globalization;

namespace ExCraft.Cli.Commands;

/// <summary>excraft block [HEIGHT|latest]: a block header and its transaction hashes.</summary>
public static class BlockCommand
{
    private const string Latest = "latest";

    public static Command Create(CliCommandFactory factory)
    {
        var which = new Argument<string>("HEIGHT")
        {
            Description = "Block height (1, 2, ...) or latest",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => Latest,
            Validators = { r => { if (!TryParseHeight(r.GetValueOrDefault<string>(), out _)) r.AddError($"HEIGHT: '{r.GetValueOrDefault<string>()}' is not a block height (1, 2, ...) or latest"); } },
        };
        var command = new Command("block", "Show a block") { which };
        factory.SetAction(command, async (parse, context) =>
        {
            TryParseHeight(parse.GetValue(which), out var height);
            var block = await context.Node.BlockAsync(height)
                ?? throw CliException.NotFound(height is { } h ? $"block {h} not found (the chain is not that high yet)" : "the chain has no blocks yet");
            context.Output.Result(block, output =>
            {
                var txs = (block["transactions"]?.AsArray() ?? []).Select(t => t?.ToString() ?? "").ToList();
                var time = DateTimeOffset.FromUnixTimeMilliseconds((long)block.UInt64("timeMs"));
                var rows = new List<(string, string)>
                {
                    ("height", block.UInt64("height").ToString(CultureInfo.InvariantCulture)),
                    ("hash", block.String("hash")),
                    ("time", time.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture)),
                    ("proposer", block.String("proposer")),
                    ("previous", block.String("previousHash")),
                    ("app hash", block.String("appHash")),
                    ("transactions", txs.Count.ToString(CultureInfo.InvariantCulture)),
                };
                rows.AddRange(txs.Select(t => ("", t)));
                output.Fields(rows);
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A height of 1 or more, or null for "latest".</summary>
    private static bool TryParseHeight(string? text, out ulong? height)
    {
        height = null;
        if (text == Latest) return true;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var h) || h == 0) return false;
        height = h;
        return true;
    }
}
