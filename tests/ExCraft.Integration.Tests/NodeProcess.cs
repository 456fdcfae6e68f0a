using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExCraft.Integration.Tests;

/// <summary>
/// A real excraft-node process on 127.0.0.1 with its own data directory and a free port. Every
/// wait is bounded; Dispose kills the process and removes the directory. A port found free here is
/// bound later by the child process, and another process may take it in between (test projects run
/// in parallel on CI): a start that fails for that reason is retried on new ports.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const int StartAttempts = 3;
    /// <summary>Without --grpc-port the node serves gRPC on the RPC port minus this, when that port is free (GrpcHosting).</summary>
    public const int DerivedGrpcOffset = 455;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string DataDir { get; }
    public int Port { get; private set; }
    /// <summary>The gRPC port when started with <see cref="StartWithGrpcAsync"/>, else 0.</summary>
    public int GrpcPort { get; private set; }
    public RpcClient Rpc { get; private set; }
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

    public Task StartAsync(params string[] extraArgs) => StartAsync(grpc: false, extraArgs);

    /// <summary>Starts with gRPC on a port of its own choosing (<see cref="GrpcPort"/>).</summary>
    public Task StartWithGrpcAsync(params string[] extraArgs) => StartAsync(grpc: true, extraArgs);

    private async Task StartAsync(bool grpc, string[] extraArgs)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (grpc)
            {
                // Two probes in a row can be handed the same free port (the first one's listener is closed).
                do GrpcPort = FreePort();
                while (GrpcPort == Port);
            }
            try
            {
                await StartOnceAsync(grpc ? [.. extraArgs, "--grpc-port", GrpcPort.ToString()] : extraArgs);
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && LostPortRace(Output, Port, Port - DerivedGrpcOffset, GrpcPort))
            {
                // Another process bound one of our ports between the probe and the node's bind: new ports, same data directory.
                _process?.Dispose();
                _process = null;
                lock (_output) _output.Clear();
                Rpc.Dispose();
                Port = FreePort();
                Rpc = new RpcClient($"http://127.0.0.1:{Port}/");
            }
        }
    }

    /// <summary>Whether a failed start's output says one of these ports (chosen by the test, not given by the test's subject) was taken.</summary>
    public static bool LostPortRace(string output, params int[] ports) =>
        output.Split('\n').Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            && ports.Any(p => p > 0 && System.Text.RegularExpressions.Regex.IsMatch(line, $@"127\.0\.0\.1:{p}(?!\d)")));

    private async Task StartOnceAsync(string[] extraArgs)
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
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output readers, so the message below is complete
                throw new InvalidOperationException($"node exited with {_process.ExitCode}:\n{Output}");
            }
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
