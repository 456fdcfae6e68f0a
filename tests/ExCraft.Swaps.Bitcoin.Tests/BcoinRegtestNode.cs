using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// A real bcoin full node (npm bcoin 1.0.2 from swaps/bitcoin/node_modules) in regtest on
/// 127.0.0.1: a free HTTP/RPC port, its own temporary data directory, no P2P listening and no
/// outside peers, a bounded start-up wait, killed and deleted on dispose.
/// </summary>
public sealed class BcoinRegtestNode : IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly StringBuilder log = new();

    public string DataDir { get; }
    public int RpcPort { get; }
    public BitcoinNodeClient Client { get; }
    public Network Network => BitcoinNetworks.BcoinRegtest;

    private BcoinRegtestNode(Process process, string dataDir, int rpcPort, BitcoinNodeClient client)
    {
        this.process = process;
        DataDir = dataDir;
        RpcPort = rpcPort;
        Client = client;
    }

    public string RecentLog
    {
        get { lock (log) return log.Length <= 4000 ? log.ToString() : log.ToString(log.Length - 4000, 4000); }
    }

    /// <summary>Starts bcoin on a free port; a start that ends at once (the port was taken between the probe and bcoin's bind) is tried again on another.</summary>
    public static async Task<BcoinRegtestNode> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync();
            }
            catch (BcoinExitedException) when (attempt < 3)
            {
            }
        }
    }

    private sealed class BcoinExitedException(string message) : InvalidOperationException(message);

    private static async Task<BcoinRegtestNode> StartOnceAsync()
    {
        var bcoin = Path.Combine(RepoRoot(), "swaps", "bitcoin", "node_modules", "bcoin", "bin", "node");
        if (!File.Exists(bcoin))
            throw new InvalidOperationException($"bcoin is not installed at {bcoin}: run 'npm install' in swaps/bitcoin (bash tools/test.sh does it)");
        var dataDir = Directory.CreateTempSubdirectory("excraft-bcoin-").FullName;
        var port = FreePort();
        var apiKey = Convert.ToHexStringLower(RandomUtils.GetBytes(16));
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Pure JavaScript back ends of bcoin's libraries: swaps/bitcoin/.npmrc skips the install
        // scripts that would compile native ones (no C++ toolchain needed).
        start.Environment["NODE_BACKEND"] = "js";
        foreach (var arg in new[]
        {
            bcoin, "--network=regtest", $"--prefix={dataDir}", "--http-host=127.0.0.1", $"--http-port={port}",
            $"--api-key={apiKey}", "--no-wallet", "--listen=false",
            // Regtest's seed is 127.0.0.1:48444, which another local bcoin may hold; port 1 refuses at once.
            "--only=127.0.0.1:1",
            "--index-tx=true", "--replace-by-fee=true", "--workers=false",
            "--log-console=true", "--log-file=false", "--log-level=warning",
        })
            start.ArgumentList.Add(arg);

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node for bcoin");
        var client = new BitcoinNodeClient(new Uri($"http://127.0.0.1:{port}/"), "x", apiKey, BitcoinNetworks.BcoinRegtest);
        var node = new BcoinRegtestNode(process, dataDir, port, client);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // drains the output readers, so the log below is complete
                var message = $"bcoin exited with code {process.ExitCode} during start-up:\n{node.RecentLog}";
                node.Dispose();
                throw new BcoinExitedException(message);
            }
            try
            {
                await client.GetBlockCountAsync();
                return node;
            }
            catch (Exception) when (deadline.Elapsed < StartupTimeout)
            {
                await Task.Delay(200);
            }
            catch (Exception e)
            {
                var message = $"bcoin did not answer RPC within {StartupTimeout.TotalSeconds} s: {e.Message}\n{node.RecentLog}";
                node.Dispose();
                throw new TimeoutException(message);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExCraft.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("ExCraft.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        Client.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
