using System.CommandLine;
using System.Text.Json.Nodes;
using ExCraft.Core;

namespace ExCraft.Cli;

/// <summary>What a query command's fetch step gets: the invocation, its parsed command line and the address argument.</summary>
public sealed record QueryInput(CommandContext Context, ParseResult Parse, Address Address)
{
    public NodeClient Node => Context.Node;
}

/// <summary>
/// The one sequence every "show something about an address" command follows: parse the ADDRESS
/// argument (ext1... or 0x...), ask the node, then print its JSON with --json or a human view
/// (a table of a list, or fields of one object). A query command is one call to
/// <see cref="Create{T}"/> with a fetch step and a view.
/// </summary>
public static class AccountQuery
{
    /// <summary>The human view of a result; may ask the node for more (e.g. validator monikers), never with --json.</summary>
    public delegate Task<Action<CliOutput>> View<in T>(QueryInput input, T result);

    public static Command Create<T>(CliCommandFactory factory, string name, string description, string addressDescription,
        Func<QueryInput, Task<T>> fetch, View<T> view, params Option[] options) where T : JsonNode
    {
        var address = CliOptions.AddressArgument(addressDescription);
        var command = new Command(name, description) { address };
        foreach (var option in options) command.Options.Add(option);
        factory.SetAction(command, async (parse, context) =>
        {
            var input = new QueryInput(context, parse, parse.GetValue(address));
            var result = await fetch(input);
            var human = context.Output.Json ? (_ => { }) : await view(input, result);
            context.Output.Result(result, human);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A list as a table, or a line saying it is empty.</summary>
    public static View<JsonArray> Table(Func<Address, string> empty, IReadOnlyList<string> headers, Func<JsonObject, IReadOnlyList<string>> row) =>
        (input, result) => Task.FromResult(TableOf(input.Address, result, empty, headers, row));

    /// <summary>A list as a table whose rows need something more from the node, fetched once when there is anything to show.</summary>
    public static View<JsonArray> Table<TExtra>(Func<Address, string> empty, IReadOnlyList<string> headers, Func<NodeClient, Task<TExtra>> extra,
        Func<JsonObject, TExtra, IReadOnlyList<string>> row) =>
        async (input, result) =>
        {
            if (result.Count == 0) return TableOf(input.Address, result, empty, headers, _ => []);
            var more = await extra(input.Node);
            return TableOf(input.Address, result, empty, headers, item => row(item, more));
        };

    /// <summary>One object as fields.</summary>
    public static View<JsonObject> Fields(Func<JsonObject, IEnumerable<(string Key, string Value)>> rows) =>
        (_, result) => Task.FromResult<Action<CliOutput>>(output => output.Fields(rows(result)));

    private static Action<CliOutput> TableOf(Address address, JsonArray result, Func<Address, string> empty, IReadOnlyList<string> headers,
        Func<JsonObject, IReadOnlyList<string>> row) => output =>
    {
        var items = result.OfType<JsonObject>().ToList();
        if (items.Count == 0) output.Line(empty(address));
        else output.Table(headers, items.Select(row));
    };
}
