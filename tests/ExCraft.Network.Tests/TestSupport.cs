using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using ExCraft.Network.Protocol;
using ExCraft.Network.Transport;
using Xunit.Abstractions;

namespace ExCraft.Network.Tests;

/// <summary>A NetworkService on 127.0.0.1 with an ephemeral port, short timings, and recorded events and logs.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    public static readonly NetworkIdentity DefaultIdentity = new(7777, SHA256.HashData("excraft-network-tests-genesis"u8), 1);

    private readonly Lock _lock = new();
    private readonly List<PeerInfo> _connected = [];
    private readonly List<PeerDisconnection> _disconnected = [];
    private readonly List<ConnectionRejection> _rejected = [];
    private readonly List<BanEntry> _banned = [];
    private readonly ConcurrentQueue<string> _logs = new();

    private TestNode(string name, NodeKey key, NetworkOptions options, NetworkIdentity identity, ITestOutputHelper? output)
    {
        Name = name;
        Key = key;
        Options = options;
        options.Log = (level, message) =>
        {
            var line = $"[{name} {level}] {message}";
            _logs.Enqueue(line);
            try { output?.WriteLine(line); } catch (InvalidOperationException) { /* test already finished */ }
        };
        Service = new NetworkService(key, identity, options);
        Service.PeerConnected += p => { lock (_lock) _connected.Add(p); };
        Service.PeerDisconnected += d => { lock (_lock) _disconnected.Add(d); };
        Service.ConnectionRejected += r => { lock (_lock) _rejected.Add(r); };
        Service.PeerBanned += b => { lock (_lock) _banned.Add(b); };
    }

    public string Name { get; }
    public NodeKey Key { get; }
    public NetworkOptions Options { get; }
    public NetworkService Service { get; }
    public ExCraft.Core.Address Id => Key.NodeId;
    public IPEndPoint EndPoint => Service.ListenEndPoint!;

    /// <summary>"nodeid@127.0.0.1:port".</summary>
    public string Address => $"{Id}@127.0.0.1:{EndPoint.Port}";

    public List<PeerInfo> Connected { get { lock (_lock) return [.. _connected]; } }
    public List<PeerDisconnection> Disconnected { get { lock (_lock) return [.. _disconnected]; } }
    public List<ConnectionRejection> Rejected { get { lock (_lock) return [.. _rejected]; } }
    public List<BanEntry> Banned { get { lock (_lock) return [.. _banned]; } }
    public IEnumerable<string> Logs => _logs;

    public bool IsConnectedTo(TestNode other) => Service.Peers.Any(p => p.NodeId == other.Id);

    public static NetworkOptions FastOptions() => new()
    {
        ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        DialTimeout = TimeSpan.FromSeconds(5),
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        MaintenanceInterval = TimeSpan.FromMilliseconds(100),
        PeerExchangeInterval = TimeSpan.FromSeconds(1),
    };

    public static async Task<TestNode> StartAsync(
        string name,
        ITestOutputHelper? output,
        Action<NetworkOptions>? configure = null,
        NetworkIdentity? identity = null,
        NodeKey? key = null)
    {
        var options = FastOptions();
        configure?.Invoke(options);
        var node = new TestNode(name, key ?? NodeKey.Generate(), options, identity ?? DefaultIdentity, output);
        await node.Service.StartAsync();
        return node;
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}

internal static class Wait
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Asserts the condition stays false for the whole period.</summary>
    public static async Task NeverAsync(Func<bool> condition, string what, TimeSpan period)
    {
        var end = DateTime.UtcNow + period;
        while (DateTime.UtcNow < end)
        {
            Assert.False(condition(), $"unexpectedly: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Reads until the other side closes the stream; fails if it stays open past the timeout.</summary>
    public static async Task ForClosedAsync(Stream stream, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Default);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException("the connection was not closed by the server");
        }
        catch (IOException)
        {
            // reset by the server: closed
        }
    }
}

/// <summary>A hand-driven client for misbehaviour tests: raw TCP from a chosen loopback source address.</summary>
internal static class RawClient
{
    public static Task<ITransportConnection> ConnectAsync(IPEndPoint server, string sourceAddress = "127.0.0.2") =>
        new TcpTransport(IPAddress.Parse(sourceAddress)).ConnectAsync("127.0.0.1", server.Port, new CancellationTokenSource(Wait.Default).Token);

    /// <summary>A complete, valid handshake as initiator on <paramref name="stream"/> (which may wrap the connection).</summary>
    public static Task<HandshakeResult> HandshakeAsync(Stream stream, NodeKey key, NetworkIdentity? identity = null) =>
        Handshake.RunAsync(stream, initiator: true, key, identity ?? TestNode.DefaultIdentity, listenPort: 0, expectedNodeId: null,
            admit: _ => null, maxFrameSize: 4 * 1024 * 1024, new CancellationTokenSource(Wait.Default).Token);
}

/// <summary>Passes bytes through, flipping one bit of the next write when armed.</summary>
internal sealed class TamperingStream(Stream inner) : Stream
{
    public volatile bool TamperNextWrite;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TamperNextWrite && buffer.Length > 8)
        {
            TamperNextWrite = false;
            var copy = buffer.ToArray();
            copy[6] ^= 0x01; // inside the ciphertext, after the 4-byte length prefix
            return inner.WriteAsync(copy, cancellationToken);
        }
        return inner.WriteAsync(buffer, cancellationToken);
    }
}
