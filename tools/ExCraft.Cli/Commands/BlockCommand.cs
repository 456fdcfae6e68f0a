using System.CommandLine;
using System.Globalization;

namespace ExCraft.Cli.Commands;

/// <summary>excraft block [HEIGHT|latest]: a block header and its transaction hashes.</summary>
public static class BlockCommand
{
    public static Command Create(CliCommandFactory factory)
    {
        var which = new Argument<ulong?>("HEIGHT")
        {
            Description = "Block height, or latest [default: latest]",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => null,
            CustomParser = r =>
            {
                var text = r.Tokens.Single().Value;
                if (text == "latest") return null;
                if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var height) && height > 0) return height;
                r.AddError($"HEIGHT: '{text}' is not a block height (1, 2, ...) or latest");
                return null;
            },
        };
        var command = new Command("block", "Show a block") { which };
        factory.SetAction(command, async (parse, context) =>
        {
            var height = parse.GetValue(which);
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
}
