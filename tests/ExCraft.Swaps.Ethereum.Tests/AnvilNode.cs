using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>
/// A real anvil (from swaps/node_modules, npm @foundry-rs/anvil) on 127.0.0.1 at a free port,
/// with a bounded start-up wait, killed with its process tree on dispose.
/// </summary>
public sealed class AnvilNode : IDisposable
{
    public const int ChainId = 424242; // not anvil's default 31337, so EIP-155 signing is really exercised
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60); // test projects start processes in parallel on a 2-core CI machine
    private readonly Process process;
    private readonly StringBuilder output = new();

    private AnvilNode(Process process, int port)
    {
        this.process = process;
        Url = $"http://127.0.0.1:{port}";
        Web3 = new Web3(Url);
    }

    public string Url { get; }
    public Web3 Web3 { get; }

    public static AnvilNode Start()
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++) // a free port can be taken between probe and bind
        {
            var node = Launch(FreePort());
            try
            {
                node.WaitUntilReady();
                return node;
            }
            catch (Exception e)
            {
                last = e;
                node.Dispose();
            }
        }
        throw new InvalidOperationException("anvil did not start", last);
    }

    /// <summary>Gives an address a balance in wei (anvil_setBalance).</summary>
    public Task SetBalanceAsync(string address, BigInteger wei) =>
        Web3.Client.SendRequestAsync("anvil_setBalance", null, address, new HexBigInteger(wei).HexValue);

    /// <summary>Turns automatic mining of each transaction on or off (evm_setAutomine).</summary>
    public Task SetAutomineAsync(bool on) => Web3.Client.SendRequestAsync("evm_setAutomine", null, on);

    /// <summary>Mines one block; with a timestamp, the block carries it (evm_mine).</summary>
    public Task MineAsync(BigInteger? timestamp = null) => timestamp is { } t
        ? Web3.Client.SendRequestAsync("evm_mine", null, new HexBigInteger(t).HexValue)
        : Web3.Client.SendRequestAsync("evm_mine", null);

    public async Task<BigInteger> LatestTimestampAsync() =>
        (await Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())).Timestamp.Value;

    public async Task<BigInteger> BalanceAsync(string address) => (await Web3.Eth.GetBalance.SendRequestAsync(address)).Value;

    public string Log
    {
        get { lock (output) return output.ToString(); }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }

    private static AnvilNode Launch(int port)
    {
        var start = new ProcessStartInfo(AnvilBinary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--host", "127.0.0.1", "--port", port.ToString(), "--chain-id", ChainId.ToString(), "--accounts", "1" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start anvil");
        var node = new AnvilNode(process, port);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void Append(string? line)
    {
        if (line == null) return;
        lock (output)
        {
            if (output.Length < 200_000) output.AppendLine(line);
        }
    }

    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow + StartupTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"anvil exited with {process.ExitCode}: {Log}");
            try
            {
                var id = Web3.Eth.ChainId.SendRequestAsync().GetAwaiter().GetResult();
                if (id.Value == ChainId) return;
            }
            catch (Exception)
            {
                // not listening yet
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"anvil did not answer within {StartupTimeout.TotalSeconds} s: {Log}");
    }

    /// <summary>The platform binary the npm package ships (no node wrapper, so killing it ends it), or the npm bin.</summary>
    private static string AnvilBinary()
    {
        var scope = Path.Combine(RepoPaths.NodeModules, "@foundry-rs");
        if (Directory.Exists(scope))
        {
            foreach (var dir in Directory.GetDirectories(scope, "anvil-*"))
            {
                var binary = Path.Combine(dir, "bin", OperatingSystem.IsWindows() ? "anvil.exe" : "anvil");
                if (File.Exists(binary)) return binary;
            }
        }
        var wrapper = Path.Combine(RepoPaths.NodeModules, ".bin", "anvil");
        if (File.Exists(wrapper)) return wrapper;
        throw new InvalidOperationException("anvil is not installed in swaps/node_modules: run `npm install` in swaps/");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
