namespace ExCraft.Cli;

/// <summary>
/// Sync progress on stderr: a bar redrawn in place on a terminal, a line every few seconds
/// otherwise, nothing with --json (stdout then holds only the final document).
/// </summary>
public sealed class SyncProgress(CliOutput output, CliEnvironment environment)
{
    private const int Width = 30;
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private DateTime _lastLine = DateTime.MinValue;
    private bool _drawn;

    public void Show(ulong start, ulong height, ulong target)
    {
        if (output.Json) return;
        var total = Math.Max(1, target - Math.Min(start, target));
        var done = Math.Min(total, height - Math.Min(start, height));
        var percent = target == 0 ? 100 : (int)Math.Min(100, height * 100 / target);
        var text = $"syncing: height {height} of {target} ({percent}%)";
        if (environment.OutIsTerminal)
        {
            var filled = (int)(done * Width / total);
            environment.Error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {text}   ");
            _drawn = true;
        }
        else if (DateTime.UtcNow - _lastLine >= PlainInterval)
        {
            environment.Error.WriteLine(text);
            _lastLine = DateTime.UtcNow;
        }
    }

    public void Done()
    {
        if (_drawn) environment.Error.WriteLine();
    }
}
