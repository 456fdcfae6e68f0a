using System.CommandLine;

namespace ExCraft.Cli;

/// <summary>What every command definition needs: the shared options, and a way to run its action with a <see cref="CommandContext"/>.</summary>
public sealed class CliCommandFactory(CliOptions options, CliEnvironment environment)
{
    public CliOptions Options { get; } = options;

    public CliEnvironment Environment { get; } = environment;

    /// <summary>Sets the command's action; errors are thrown as exceptions and turned into exit codes by <see cref="Cli"/>.</summary>
    public void SetAction(Command command, Func<ParseResult, CommandContext, Task<int>> action) =>
        command.SetAction(async (parse, cancel) =>
        {
            using var context = new CommandContext(parse, Options, Environment, cancel);
            return await action(parse, context);
        });
}
