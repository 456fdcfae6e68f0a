using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExCraft.Integration.Tests;

/// <summary>
/// A real excraft-node process on 127.0.0.1 with its own data directory and a free port. Every
/// wait is bounded; Dispose kills the process and removes the directory.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string DataDir { get; }
    public int Port { get; }
    public RpcClient Rpc { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The node's resident memory (VmRSS of /proc/PID/status), in bytes.</summary>
    public long ResidentBytes()
    {
        var process = _process ?? throw new InvalidOperationException("the node is not running");
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // the kernel reports kB
    }

    private readonly bool _ownsDataDir;

    /// <summary>With a data directory given, the caller owns it (to restart on it); otherwise a temp one is made and removed.</summary>
    public NodeProcess(string? dataDir = null)
    {
        _ownsDataDir = dataDir is null;
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "excraft-it-" + Guid.NewGuid().ToString("N"));
        Port = FreePort();
        Rpc = new RpcClient($"http://127.0.0.1:{Port}/");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task StartAsync(params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "excraft-node.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--dev", "--data-dir", DataDir, "--rpc-port", Port.ToString(), "--block-interval-ms", "100" }.Concat(extraArgs))
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node");
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"node exited with {_process.ExitCode}:\n{Output}");
            if (await Rpc.IsHealthyAsync()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"node did not become healthy within {StartTimeout}:\n{Output}");
    }

    /// <summary>SIGTERM and wait for a clean exit (graceful shutdown).</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_process.ExitCode == 0, $"node exited with {_process.ExitCode}:\n{Output}");
    }

    /// <summary>kill -9: no chance to flush or close anything.</summary>
    public void KillHard()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        KillHard();
        _process?.Dispose();
        Rpc.Dispose();
        if (!_ownsDataDir) return;
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
