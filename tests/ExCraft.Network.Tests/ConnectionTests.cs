using System.Collections.Concurrent;
using System.Security.Cryptography;
using ExCraft.Core;
using Xunit.Abstractions;

namespace ExCraft.Network.Tests;

public sealed class ConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoServices_Handshake_SeeEachOther_AndExchangeMessagesBothWays()
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var b = await TestNode.StartAsync("B", output, o => o.PersistentPeers.Add(a.Address));

        await Wait.UntilAsync(() => a.IsConnectedTo(b) && b.IsConnectedTo(a), "A and B connected");
        await Wait.UntilAsync(() => a.Connected.Count == 1 && b.Connected.Count == 1, "PeerConnected on both sides");

        var atA = a.Service.Peers.Single();
        var atB = b.Service.Peers.Single();
        Assert.Equal(b.Id, atA.NodeId);
        Assert.Equal(a.Id, atB.NodeId);
        Assert.Equal(PeerDirection.Inbound, atA.Direction);
        Assert.Equal(PeerDirection.Outbound, atB.Direction);
        Assert.Equal(atA.SessionId, atB.SessionId);
        Assert.Equal(100, atA.Score);
        Assert.True(atB.Persistent);
        Assert.Equal(b.EndPoint.Port, atA.ListenEndPoint!.Port); // B announced its listen port in its Hello
        Assert.Equal(b.Id, a.Connected.Single().NodeId);

        var gotAtA = new ConcurrentQueue<(Address, byte[])>();
        var gotAtB = new ConcurrentQueue<(Address, byte[])>();
        a.Service.OnMessage(MessageTypes.Transactions, (peer, payload) => gotAtA.Enqueue((peer.NodeId, payload)));
        b.Service.OnMessage(MessageTypes.Vote, (peer, payload) => gotAtB.Enqueue((peer.NodeId, payload)));

        Assert.True(b.Service.Send(a.Id, MessageTypes.Transactions, [1, 2, 3]));
        Assert.Equal(1, a.Service.Broadcast(MessageTypes.Vote, [9, 8]));
        Assert.Equal(0, a.Service.Broadcast(MessageTypes.Vote, [7], except: b.Id));

        await Wait.UntilAsync(() => !gotAtA.IsEmpty && !gotAtB.IsEmpty, "messages both ways");
        var (fromB, txs) = gotAtA.Single();
        Assert.Equal(b.Id, fromB);
        Assert.Equal(new byte[] { 1, 2, 3 }, txs);
        var (fromA, vote) = gotAtB.Single();
        Assert.Equal(a.Id, fromA);
        Assert.Equal(new byte[] { 9, 8 }, vote);
        Assert.Contains(a.Logs, l => l.Contains($"connected inbound peer {b.Id}"));
    }

    [Fact]
    public async Task LargeMessage_NearTheFrameLimit_IsDelivered_AndLargerIsRefused()
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var b = await TestNode.StartAsync("B", output, o => o.PersistentPeers.Add(a.Address));
        await Wait.UntilAsync(() => b.IsConnectedTo(a) && a.IsConnectedTo(b), "connected");

        var max = b.Service.MaxPayloadSize;
        Assert.InRange(max, 4 * 1024 * 1024 - 64, 4 * 1024 * 1024 - 16);
        var big = RandomNumberGenerator.GetBytes(max);
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Service.OnMessage(MessageTypes.BlockResponse, (_, payload) => received.TrySetResult(payload));

        Assert.Throws<ArgumentException>(() => b.Service.Send(a.Id, MessageTypes.BlockResponse, new byte[max + 1]));
        Assert.True(b.Service.Send(a.Id, MessageTypes.BlockResponse, big));
        var got = await received.Task.WaitAsync(Wait.Default);
        Assert.Equal(big, got);
        Assert.True(a.IsConnectedTo(b));
    }

    public static TheoryData<string, NetworkIdentity, DisconnectReason> Mismatches => new()
    {
        { "chain id", new NetworkIdentity(8888, TestNode.DefaultIdentity.GenesisHash, 1), DisconnectReason.ChainIdMismatch },
        { "genesis", new NetworkIdentity(7777, SHA256.HashData("another genesis"u8), 1), DisconnectReason.GenesisMismatch },
        { "protocol version", new NetworkIdentity(7777, TestNode.DefaultIdentity.GenesisHash, 2), DisconnectReason.ProtocolVersionMismatch },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task DifferentNetwork_IsRejected_WithAClearReason(string what, NetworkIdentity other, DisconnectReason expected)
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var b = await TestNode.StartAsync("B", output, identity: other);

        var error = await Assert.ThrowsAsync<HandshakeException>(() => b.Service.ConnectAsync(PeerAddress.Parse(a.Address)));
        Assert.Equal(expected, error.Reason);
        Assert.False(error.Ban);

        await Wait.UntilAsync(() => a.Rejected.Count > 0 && b.Rejected.Count > 0, $"{what}: rejection seen by both");
        var atA = a.Rejected.Single();
        Assert.Equal(expected, atA.Reason);
        Assert.Equal(PeerDirection.Inbound, atA.Direction);
        Assert.False(atA.Banned);
        Assert.Contains(a.Logs, l => l.Contains("rejected") && l.Contains(expected.ToString()));
        Assert.Contains(b.Logs, l => l.Contains("rejected") && l.Contains(expected.ToString()));

        await Wait.NeverAsync(() => a.Connected.Count > 0 || b.Connected.Count > 0, "PeerConnected", TimeSpan.FromMilliseconds(300));
        Assert.Empty(a.Service.Peers);
        Assert.Empty(b.Service.Peers);
        Assert.Empty(a.Service.Bans);
    }

    [Fact]
    public async Task Impersonation_ExpectedNodeIdDiffers_IsRejected()
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var b = await TestNode.StartAsync("B", output);
        var impostorId = NodeKey.Generate().NodeId;

        var error = await Assert.ThrowsAsync<HandshakeException>(
            () => b.Service.ConnectAsync(PeerAddress.Parse($"{impostorId}@127.0.0.1:{a.EndPoint.Port}")));
        Assert.Equal(DisconnectReason.UnexpectedNodeId, error.Reason);
        Assert.Contains(impostorId.ToString(), error.Message);
        Assert.Contains(a.Id.ToString(), error.Message);

        // A learns why through the Disconnect B sends.
        await Wait.UntilAsync(() => a.Rejected.Any(r => r.ByRemote && r.Reason == DisconnectReason.UnexpectedNodeId), "A sees B's refusal");
        await Wait.NeverAsync(() => a.Connected.Count > 0 || b.Connected.Count > 0, "PeerConnected", TimeSpan.FromMilliseconds(300));

        // With the right id it connects.
        var info = await b.Service.ConnectAsync(PeerAddress.Parse(a.Address));
        Assert.Equal(a.Id, info.NodeId);
    }

    [Fact]
    public async Task PersistentPeerWithWrongId_IsNeverConnected()
    {
        await using var a = await TestNode.StartAsync("A", output);
        var wrong = NodeKey.Generate().NodeId;
        await using var b = await TestNode.StartAsync("B", output, o => o.PersistentPeers.Add($"{wrong}@127.0.0.1:{a.EndPoint.Port}"));
        await Wait.UntilAsync(() => b.Rejected.Count(r => r.Reason == DisconnectReason.UnexpectedNodeId) >= 2, "redialed and rejected again");
        Assert.Empty(b.Service.Peers);
        Assert.Empty(a.Connected);
    }

    [Fact]
    public async Task SilentClient_IsDroppedAtTheHandshakeTimeout()
    {
        await using var a = await TestNode.StartAsync("A", output, o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(500));
        await using var raw = await RawClient.ConnectAsync(a.EndPoint);
        await Wait.ForClosedAsync(raw.Stream, Wait.Default);
        await Wait.UntilAsync(() => a.Rejected.Any(r => r.Reason == DisconnectReason.Timeout), "timeout rejection");
        Assert.False(a.Rejected.Single().Banned);
    }

    [Fact]
    public async Task SimultaneousDials_LeaveExactlyOneConnection()
    {
        var keyA = NodeKey.Generate();
        var keyB = NodeKey.Generate();
        // Reserve ports first so each can name the other as a persistent peer.
        await using var probeA = await TestNode.StartAsync("probeA", null);
        await using var probeB = await TestNode.StartAsync("probeB", null);
        var portA = probeA.EndPoint.Port;
        var portB = probeB.EndPoint.Port;
        await probeA.DisposeAsync();
        await probeB.DisposeAsync();

        await using var a = await TestNode.StartAsync("A", output, o =>
        {
            o.ListenEndPoint = new(System.Net.IPAddress.Loopback, portA);
            o.PersistentPeers.Add($"{keyB.NodeId}@127.0.0.1:{portB}");
        }, key: keyA);
        await using var b = await TestNode.StartAsync("B", output, o =>
        {
            o.ListenEndPoint = new(System.Net.IPAddress.Loopback, portB);
            o.PersistentPeers.Add($"{keyA.NodeId}@127.0.0.1:{portA}");
        }, key: keyB);

        await Wait.UntilAsync(() => a.IsConnectedTo(b) && b.IsConnectedTo(a), "connected");
        await Task.Delay(1000); // let any duplicate settle
        await Wait.UntilAsync(() => a.Service.Peers.Count == 1 && b.Service.Peers.Count == 1 &&
                                    a.Service.Peers[0].SessionId == b.Service.Peers[0].SessionId, "one shared connection");

        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Service.OnMessage(MessageTypes.Status, (_, _) => got.TrySetResult());
        Assert.True(a.Service.Send(b.Id, MessageTypes.Status, [1]));
        await got.Task.WaitAsync(Wait.Default);
    }

    [Fact]
    public async Task Shutdown_TellsPeersWhy()
    {
        await using var a = await TestNode.StartAsync("A", output);
        var b = await TestNode.StartAsync("B", output, o => o.PersistentPeers.Add(a.Address));
        await Wait.UntilAsync(() => a.IsConnectedTo(b) && b.IsConnectedTo(a), "connected on both sides"); // B may still be finishing its handshake when A lists it
        await b.DisposeAsync();
        await Wait.UntilAsync(() => a.Disconnected.Count == 1, "A sees the disconnect");
        var d = a.Disconnected.Single();
        Assert.Equal(DisconnectReason.Shutdown, d.Reason);
        Assert.True(d.ByRemote);
        Assert.False(d.Banned);
        Assert.Equal(b.Id, d.Peer.NodeId);
        Assert.Single(b.Disconnected); // B raised its own PeerDisconnected while shutting down
    }
}
