using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace ExCraft.Cli;

/// <summary>
/// Result output: with --json exactly one JSON document on stdout; otherwise human text in
/// aligned columns, through Spectre.Console markup (bold and colour) on a terminal and as plain
/// text when stdout is a pipe or file. Warnings go to stderr either way.
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
        _console.Profile.Width = 4096; // let the terminal soft-wrap: Spectre would break hashes at its idea of the width
    }

    public bool Json { get; }

    /// <summary>stdout is a terminal: markup is rendered (and NO_COLOR respected); otherwise plain text.</summary>
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

    /// <summary>Aligned "key  value" rows, keys in bold on a terminal; values are plain text.</summary>
    public void Fields(IEnumerable<(string Key, string Value)> rows) =>
        Columns(rows.Select(r => (IReadOnlyList<string>)[r.Key, r.Value]).ToList(), boldRow: false);

    /// <summary>A table with a header row (bold on a terminal); cells are plain text.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) =>
        Columns([headers, .. rows], boldRow: true);

    /// <summary>
    /// Columns separated by two spaces, without borders or trailing spaces, never wrapped or cut by
    /// us (hashes and addresses stay whole for copy and paste): easy to read, grep and cut.
    /// </summary>
    private void Columns(IReadOnlyList<IReadOnlyList<string>> rows, bool boldRow)
    {
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var cells = row.Select((cell, c) => c == row.Count - 1 ? cell : cell.PadRight(widths[c])).ToList();
            if (!Terminal)
            {
                _environment.Out.WriteLine(string.Join("  ", cells).TrimEnd());
                continue;
            }
            var bold = boldRow ? (i == 0 ? cells.Count : 0) : 1; // the header row, or the key column
            _console.MarkupLine(string.Join("  ", cells.Select((cell, c) => c < bold ? $"[bold]{Markup.Escape(cell)}[/]" : Markup.Escape(cell))).TrimEnd());
        }
    }

    /// <summary>A warning on stderr, so it never mixes with --json output.</summary>
    public void Warn(string message) => _environment.Error.WriteLine($"excraft: warning: {message}");
}
