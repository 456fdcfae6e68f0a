using Grpc.Core;
using Grpc.Net.Client;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The set-up the markets gRPC stream tests share: a dev node with gRPC on a free port, a channel
/// to it, and a reader that collects a server stream into a list (read under its lock) until the
/// test cancels it.
/// </summary>
public abstract class MarketGrpcStreamKit : IAsyncLifetime
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    protected readonly NodeProcess Node = new();
    private readonly int _grpcPort = NodeProcess.FreePort();
    protected GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Node.StartAsync("--grpc-port", _grpcPort.ToString());
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_grpcPort}");
    }

    public Task DisposeAsync()
    {
        Channel?.Dispose();
        Node.Dispose();
        return Task.CompletedTask;
    }

    protected static async Task Collect<T>(IAsyncStreamReader<T> stream, List<T> into, CancellationToken cancel)
    {
        try
        {
            while (await stream.MoveNext(cancel)) lock (into) into.Add(stream.Current);
        }
        catch (Exception e) when (e is OperationCanceledException || e is RpcException { StatusCode: StatusCode.Cancelled })
        {
        }
    }

    protected static int Count<T>(List<T> list) { lock (list) return list.Count; }

    protected static List<T> Snapshot<T>(List<T> list) { lock (list) return [.. list]; }
}
