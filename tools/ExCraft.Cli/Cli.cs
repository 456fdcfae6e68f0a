using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ExCraft.Cli.Commands;

namespace ExCraft.Cli;

/// <summary>
/// The excraft command line, runnable in-process: parses, runs the command and turns every
/// failure into one "excraft: ..." line on stderr and an exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class Cli
{
    /// <summary>Runs with the process environment (variables, home directory, terminal prompts).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, CliEnvironment.Process(stdout, stderr));

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancel = default)
    {
        var root = Build(new CliCommandFactory(new CliOptions(), environment));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            var messages = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct());
            return Fail(environment, ExitCodes.Usage, $"{messages} (see 'excraft {CommandPath(parse)}--help')");
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = environment.Out,
                Error = environment.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // the in-process node (excraft dev) handles Ctrl+C itself
            }, cancel);
        }
        catch (CliException e)
        {
            return Fail(environment, e.ExitCode, e.Message);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return Fail(environment, ExitCodes.Usage, "cancelled");
        }
        catch (Exception e)
        {
            return Fail(environment, ExitCodes.Usage, $"unexpected error: {e.GetType().Name}: {e.Message}");
        }
    }

    public static RootCommand Build(CliCommandFactory factory)
    {
        var root = new RootCommand("excraft: wallet and node tool for the ExCraft chain");
        root.Add(factory.Options.Rpc);
        root.Add(factory.Options.Keystore);
        root.Add(factory.Options.Json);
        root.Add(KeysCommands.Create(factory));
        foreach (var command in AccountCommands.Create(factory)) root.Add(command);
        foreach (var command in TransactionCommands.Create(factory)) root.Add(command);
        root.Add(StakeCommands.Create(factory));
        root.Add(EmissionCommands.Create(factory));
        foreach (var command in MarketCommands.Create(factory)) root.Add(command);
        root.Add(OrderCommands.Create(factory));
        root.Add(KycCommands.Create(factory));
        root.Add(PoolCommands.Create(factory));
        root.Add(PoeCommands.Create(factory));
        root.Add(SwapCommands.Create(factory));
        root.Add(TxCommand.Create(factory));
        root.Add(BlockCommand.Create(factory));
        root.Add(NodeCommands.Create(factory));
        root.Add(DevCommand.Create(factory));
        root.Add(TestnetCommands.Create(factory));
        SwapOfferCommands.AddTo(root, factory); // "swap offer ...", under the swap engine's "swap" command

        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard) help.Action = new HelpWithExitCodes(standard);
        return root;
    }

    private static int Fail(CliEnvironment environment, int exitCode, string message)
    {
        environment.Error.WriteLine($"excraft: {message}");
        return exitCode;
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var c = parse.CommandResult; c.Command is not RootCommand; c = (System.CommandLine.Parsing.CommandResult)c.Parent!) names.Insert(0, c.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }

    /// <summary>The standard help, followed by the exit codes on the top-level help.</summary>
    private sealed class HelpWithExitCodes(HelpAction standard) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RootCommand)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Exit codes:");
                foreach (var (code, meaning) in ExitCodes.All) output.WriteLine($"  {code}  {meaning}");
                output.WriteLine();
                output.WriteLine("Passwords come from --password-file FILE, else $EXCRAFT_PASSWORD, else a prompt without echo.");
                output.WriteLine("--from dev:N (N = 0..9) signs with a public dev chain key, for the local dev chain only.");
                output.WriteLine("See docs/cli.md for every command with examples.");
            }
            return result;
        }
    }
}
