using System.Text;

namespace ExCraft.Cli;

/// <summary>
/// What a run of the CLI may touch outside its arguments: the output streams, environment
/// variables, the home directory and the terminal (for password prompts). Tests pass their own.
/// </summary>
public sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> Variable,
    string HomeDirectory,
    bool OutIsTerminal = false,
    Func<string, string>? ReadSecret = null)
{
    /// <summary>The real process: environment variables, the user's home, and a no-echo prompt when stdin is a terminal.</summary>
    public static CliEnvironment Process(TextWriter stdout, TextWriter stderr) => new(
        stdout,
        stderr,
        Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        OutIsTerminal: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected,
        ReadSecret: Console.IsInputRedirected ? null : prompt => ReadSecretFromConsole(prompt, stderr));

    /// <summary>Reads a line from the terminal without echoing it; the prompt goes to stderr so stdout stays clean.</summary>
    private static string ReadSecretFromConsole(string prompt, TextWriter stderr)
    {
        stderr.Write(prompt);
        stderr.Flush();
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        stderr.WriteLine();
        return text.ToString();
    }
}
