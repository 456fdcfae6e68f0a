namespace ExCraft.Cli;

/// <summary>
/// Where keystore passwords come from, in order: --password-file FILE (its first line),
/// the EXCRAFT_PASSWORD environment variable, or a no-echo prompt when stdin is a terminal.
/// There is deliberately no --password option: arguments leak into shell history and process lists.
/// </summary>
public sealed class PasswordSource(string? passwordFile, CliEnvironment environment)
{
    public const string EnvironmentVariable = "EXCRAFT_PASSWORD";

    /// <summary>The password that opens an existing keystore file.</summary>
    public string ForUnlock(string what) => Read($"Password for {what}: ", confirm: false);

    /// <summary>The password that will protect a new keystore file; asked twice when prompting, must not be empty.</summary>
    public string ForNewKey(string what)
    {
        var password = Read($"New password for {what}: ", confirm: true);
        if (password.Length == 0) throw CliException.Usage("the password for a new key must not be empty");
        return password;
    }

    private string Read(string prompt, bool confirm)
    {
        if (passwordFile is not null) return ReadFile(passwordFile);
        if (environment.Variable(EnvironmentVariable) is { } fromEnvironment) return fromEnvironment;
        if (environment.ReadSecret is not { } readSecret)
            throw CliException.Usage($"a password is needed: use --password-file FILE or set {EnvironmentVariable} (stdin is not a terminal, so it cannot be prompted for)");
        var password = readSecret(prompt);
        if (confirm && readSecret("Repeat the password: ") != password) throw CliException.Usage("the two passwords differ");
        return password;
    }

    /// <summary>The first line of the file, without its line ending (as geth's --password reads it).</summary>
    private static string ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the password file {path}: {e.Message}");
        }
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
