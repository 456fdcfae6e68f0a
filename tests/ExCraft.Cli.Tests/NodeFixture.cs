using System.Diagnostics;
using System.Text;

namespace ExCraft.Cli.Tests;

/// <summary>
/// A real excraft-node process on a dev chain in a temp data dir and a free port, 200 ms blocks.
/// Started once for the test class, killed (with its process tree) on dispose. Every wait is bounded.
/// The port is probed free here and bound later by the node; another process may take it in between
/// (test projects run in parallel on CI), so a start that fails for that reason is retried on a new port.
/// </summary>
public sealed class NodeFixture : IAsyncLifetime
{
    // Generous: on a loaded 2-core CI machine several test projects start processes at once.
    public static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);
    private const int StartAttempts = 3;

    private readonly TempDirectory _data = new();
    private readonly StringBuilder _log = new();
    private Process? _process;

    public int Port { get; private set; } = FreePort.Get();

    public string Rpc => $"http://127.0.0.1:{Port}";

    /// <summary>What the node printed so far, for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && LostPortRace())
            {
                _process?.Dispose();
                _process = null;
                lock (_log) _log.Clear();
                Port = FreePort.Get();
            }
        }
    }

    /// <summary>The node could not bind its RPC port, or the gRPC port it derives from it (RPC port - 455).</summary>
    private bool LostPortRace() =>
        Log.Split('\n').Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            && System.Text.RegularExpressions.Regex.IsMatch(line, $@"127\.0\.0\.1:({Port}|{Port - 455})(?!\d)"));

    private async Task StartAsync()
    {
        var dll = FindNodeDll();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--dev", "--data-dir", _data.Path, "--rpc-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--block-interval-ms", "200", "--log-level", "Warning" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output readers, so the log below is complete
                throw new InvalidOperationException($"the node exited with code {_process.ExitCode}:\n{Log}");
            }
            try
            {
                // Ready once it answers and has produced its first block.
                using var response = await http.GetAsync($"{Rpc}/health");
                if (response.IsSuccessStatusCode
                    && System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())?["height"]?.GetValue<ulong>() >= 1) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (clock.Elapsed > StartupLimit) throw new TimeoutException($"the node did not answer /health with a block within {StartupLimit.TotalSeconds} s:\n{Log}");
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process?.Dispose();
            _data.Dispose();
        }
        return Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>excraft-node.dll as copied next to the tests (a ProjectReference), else the node project's own output.</summary>
    private static string FindNodeDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "excraft-node.dll");
        if (File.Exists(beside)) return beside;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node", "ExCraft.Node", "bin", configuration, "net10.0", "excraft-node.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"excraft-node.dll not found next to the tests ({AppContext.BaseDirectory}) nor in node/ExCraft.Node/bin");
    }
}
