using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ExCraft.Cli;

/// <summary>
/// Result output: with --json exactly one JSON document on stdout; otherwise human text through
/// Spectre.Console, with colour and box tables only on a terminal and plain aligned columns when
/// stdout is a pipe or file. Warnings go to stderr either way.
/// </summary>
public sealed class CliOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly CliEnvironment _environment;
    private readonly IAnsiConsole _console;

    public CliOutput(CliEnvironment environment, bool json)
    {
        _environment = environment;
        Json = json;
        Terminal = environment.OutIsTerminal;
        var colour = Terminal && environment.Variable("NO_COLOR") is null;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(environment.Out),
            Ansi = colour ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!Terminal) _console.Profile.Width = 240; // markup lines are not wrapped at 80 columns in pipes and files
    }

    public bool Json { get; }

    /// <summary>stdout is a terminal: Spectre grids and tables; otherwise plain columns.</summary>
    private bool Terminal { get; }

    /// <summary>Writes the JSON document with --json, otherwise runs the human rendering.</summary>
    public void Result(JsonNode json, Action<CliOutput> human)
    {
        if (Json) _environment.Out.WriteLine(json.ToJsonString(Indented));
        else human(this);
    }

    /// <summary>One line of plain text (not markup).</summary>
    public void Line(string text) => _environment.Out.WriteLine(text);

    /// <summary>One line of Spectre markup; callers escape untrusted parts with <see cref="Markup.Escape"/>.</summary>
    public void MarkupLine(string markup) => _console.MarkupLine(markup);

    /// <summary>Aligned "key  value" rows; values are plain text.</summary>
    public void Fields(IEnumerable<(string Key, string Value)> rows)
    {
        if (!Terminal)
        {
            PlainColumns(rows.Select(r => (IReadOnlyList<string>)[r.Key, r.Value]).ToList());
            return;
        }
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (key, value) in rows) grid.AddRow(new Markup($"[bold]{Markup.Escape(key)}[/]"), new Text(value));
        _console.Write(grid);
    }

    /// <summary>A table with a header row; cells are plain text.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (!Terminal)
        {
            PlainColumns([headers, .. rows]);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers) table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(header)}[/]")));
        foreach (var row in rows) table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        _console.Write(table);
    }

    /// <summary>Columns separated by two spaces, no borders, no trailing spaces: easy to read, grep and cut.</summary>
    private void PlainColumns(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        foreach (var row in rows)
        {
            var line = string.Join("  ", row.Select((cell, c) => c == row.Count - 1 ? cell : cell.PadRight(widths[c])));
            _environment.Out.WriteLine(line.TrimEnd());
        }
    }

    /// <summary>A warning on stderr, so it never mixes with --json output.</summary>
    public void Warn(string message) => _environment.Error.WriteLine($"excraft: warning: {message}");
}
