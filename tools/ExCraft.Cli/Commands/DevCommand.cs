using System.CommandLine;
using ExCraft.Node;

namespace ExCraft.Cli.Commands;

/// <summary>excraft dev [node options]: runs a dev chain node in this process (NodeRunner with --dev) until Ctrl+C.</summary>
public static class DevCommand
{
    public static Command Create(CliCommandFactory factory)
    {
        var command = new Command("dev",
            "Run a local dev chain node in this process until Ctrl+C. Other options go to the node: --data-dir DIR, --rpc-host HOST, "
            + "--rpc-port PORT, --block-interval-ms MS, --moniker NAME, --log-level LEVEL, --validator-key FILE, --config FILE")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, _) =>
        {
            string[] args = ["--dev", .. parse.UnmatchedTokens];
            try
            {
                NodeConfiguration.Parse(args); // report bad node options as our own usage errors
            }
            catch (NodeStartupException e)
            {
                throw CliException.Usage(e.Message);
            }
            return await NodeRunner.RunAsync(args, factory.Environment.Out);
        });
        return command;
    }
}
