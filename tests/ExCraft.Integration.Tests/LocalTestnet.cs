using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace ExCraft.Integration.Tests;

/// <summary>
/// A real N-validator testnet on 127.0.0.1 made by the `excraft testnet` commands (run
/// in-process; the nodes are separate processes). Dispose resets it: every node stopped, files gone.
/// </summary>
public sealed class LocalTestnet : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "excraft-testnet-" + Guid.NewGuid().ToString("N"));
    public int RpcBase { get; }
    public int P2pBase { get; }
    public int Size { get; private set; }

    /// <summary>
    /// Ports handed to testnets of this test process and not yet given back. Test classes run in
    /// parallel, and a range is only bound when the nodes start, seconds after it was found free:
    /// without this, two testnets starting together could pick overlapping ranges.
    /// </summary>
    private static readonly HashSet<int> Reserved = [];
    private const int RangeSize = 8;
    /// <summary>Each node also serves gRPC on its RPC port minus this (GrpcHosting's derived port).</summary>
    private const int DerivedGrpcOffset = 455;

    public LocalTestnet()
    {
        lock (Reserved)
        {
            RpcBase = FreeRange(RangeSize, alsoReservedBelow: DerivedGrpcOffset);
            P2pBase = FreeRange(RangeSize);
        }
    }

    public RpcClient Rpc(int node) => new($"http://127.0.0.1:{RpcBase + node}/");

    public async Task<string> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ExCraft.Cli.Cli.RunAsync([.. args, "--dir", Directory], stdout, stderr);
        Assert.True(code == 0, $"excraft {string.Join(' ', args)} exited {code}: {stderr}{stdout}\n{Logs()}");
        return stdout.ToString();
    }

    public async Task UpAsync(int validators, params string[] extra)
    {
        Size = validators;
        await RunAsync(["testnet", "up", "--validators", validators.ToString(), "--rpc-port", RpcBase.ToString(), "--p2p-port", P2pBase.ToString(), "--timeout", "30", .. extra]);
    }

    public async Task<ulong> HeightAsync(int node)
    {
        using var rpc = Rpc(node);
        return (await rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();
    }

    /// <summary>Waits until the node reaches the height; bounded.</summary>
    public async Task WaitForHeightAsync(int node, ulong height, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await HeightAsync(node) >= height) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"node {node} did not reach height {height} within {timeout}\n{Logs()}");
    }

    public async Task<JsonNode> BlockAsync(int node, ulong height)
    {
        using var rpc = Rpc(node);
        return (await rpc.CallAsync("ext_getBlockByNumber", height))!;
    }

    /// <summary>The tail of every node's log, for failure messages.</summary>
    public string Logs() => string.Join('\n', System.IO.Directory.Exists(Directory)
        ? System.IO.Directory.GetFiles(Directory, "node.log", SearchOption.AllDirectories).Order()
            .Select(f => $"--- {f}\n" + string.Join('\n', File.ReadLines(f).Take(8)) + "\n...\n" + string.Join('\n', File.ReadLines(f).TakeLast(8)))
        : []);

    /// <summary>A free, unreserved range of ports, reserved with the same range shifted down by the offset (if any). Called under the lock.</summary>
    private static int FreeRange(int count, int alsoReservedBelow = 0)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below Linux's ephemeral range (32768+), where port-0 listeners and outgoing connections of other tests land.
            var start = Random.Shared.Next(20_000, 32_000);
            var ports = Enumerable.Range(start, count).ToList();
            if (alsoReservedBelow > 0) ports.AddRange(Enumerable.Range(start - alsoReservedBelow, count));
            if (ports.Any(Reserved.Contains) || !Enumerable.Range(start, count).All(IsFree)) continue;
            Reserved.UnionWith(ports);
            return start;
        }
        throw new InvalidOperationException("no free port range on 127.0.0.1");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        var stdout = new StringWriter();
        ExCraft.Cli.Cli.RunAsync(["testnet", "reset", "--dir", Directory], stdout, stdout).GetAwaiter().GetResult();
        lock (Reserved)
        {
            Reserved.ExceptWith(Enumerable.Range(RpcBase, RangeSize));
            Reserved.ExceptWith(Enumerable.Range(RpcBase - DerivedGrpcOffset, RangeSize));
            Reserved.ExceptWith(Enumerable.Range(P2pBase, RangeSize));
        }
    }
}
