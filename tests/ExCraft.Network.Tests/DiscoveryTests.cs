using System.Net;
using ExCraft.Network.Protocol;
using Xunit.Abstractions;

namespace ExCraft.Network.Tests;

public sealed class DiscoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PeerExchange_AKnowsB_BKnowsC_AConnectsToC()
    {
        await using var c = await TestNode.StartAsync("C", output);
        await using var b = await TestNode.StartAsync("B", output, o => o.PersistentPeers.Add(c.Address));
        await Wait.UntilAsync(() => b.IsConnectedTo(c), "B-C");
        await using var a = await TestNode.StartAsync("A", output, o => o.PersistentPeers.Add(b.Address));

        await Wait.UntilAsync(() => a.IsConnectedTo(c) && c.IsConnectedTo(a), "A learned C from B and connected");
        Assert.Contains(a.Service.KnownAddresses, p => p.NodeId == c.Id && p.Port == c.EndPoint.Port);
        var atA = a.Service.Peers.Single(p => p.NodeId == c.Id);
        Assert.Equal(PeerDirection.Outbound, atA.Direction);
        Assert.False(atA.Persistent);
        // Nobody got penalized for the exchange.
        Assert.All(a.Service.Peers.Concat(b.Service.Peers).Concat(c.Service.Peers), p => Assert.Equal(100, p.Score));
    }

    [Fact]
    public async Task Seeds_WithoutNodeId_AreDialed_AndLearned()
    {
        await using var seed = await TestNode.StartAsync("seed", output);
        await using var a = await TestNode.StartAsync("A", output, o => o.Seeds.Add($"127.0.0.1:{seed.EndPoint.Port}"));
        await Wait.UntilAsync(() => a.IsConnectedTo(seed), "A connected to the seed");
        Assert.Contains(a.Service.KnownAddresses, p => p.NodeId == seed.Id);
    }

    [Fact]
    public async Task OutboundLimit_IsRespected()
    {
        await using var c1 = await TestNode.StartAsync("C1", output);
        await using var c2 = await TestNode.StartAsync("C2", output);
        await using var c3 = await TestNode.StartAsync("C3", output);
        await using var a = await TestNode.StartAsync("A", output, o =>
        {
            o.MaxOutboundPeers = 2;
            o.Seeds.AddRange([c1.Address, c2.Address, c3.Address]);
        });
        await Wait.UntilAsync(() => a.Service.Peers.Count == 2, "two outbound peers");
        await Wait.NeverAsync(() => a.Service.Peers.Count > 2, "a third outbound peer", TimeSpan.FromMilliseconds(800));
    }

    [Fact]
    public async Task InboundLimit_RefusesWithReason()
    {
        await using var a = await TestNode.StartAsync("A", output, o => o.MaxInboundPeers = 1);
        await using var b = await TestNode.StartAsync("B", output);
        await using var c = await TestNode.StartAsync("C", output);
        await b.Service.ConnectAsync(PeerAddress.Parse(a.Address));
        var refused = await Assert.ThrowsAsync<HandshakeException>(() => c.Service.ConnectAsync(PeerAddress.Parse(a.Address)));
        Assert.Equal(DisconnectReason.TooManyPeers, refused.Reason);
        Assert.True(refused.ByRemote);
        Assert.False(refused.Ban);
    }

    [Fact]
    public async Task UnsolicitedPeersMessage_IsPenalized_AndIgnored()
    {
        await using var a = await TestNode.StartAsync("A", output);
        var attacker = NodeKey.Generate();
        await using var raw = await RawClient.ConnectAsync(a.EndPoint);
        var handshake = await RawClient.HandshakeAsync(raw.Stream, attacker);
        await Wait.UntilAsync(() => a.Service.Peers.Any(p => p.NodeId == attacker.NodeId), "admitted");

        // A asked us for peers when we connected; answer once (accepted), then spam (penalized, ignored).
        var bogus = Enumerable.Range(1, 5).Select(i => (NodeKey.Generate().NodeId, new IPEndPoint(IPAddress.Parse($"127.0.0.{i + 10}"), 30000 + i))).ToList();
        await handshake.Channel.WriteAsync(Envelope.Encode(MessageTypes.Peers, PeersMessage.Encode(bogus.Take(1))), CancellationToken.None);
        await handshake.Channel.WriteAsync(Envelope.Encode(MessageTypes.Peers, PeersMessage.Encode(bogus.Skip(1))), CancellationToken.None);
        await Wait.UntilAsync(() => a.Service.Peers.Single().Score == 95, "penalized for the unsolicited message");
        Assert.Contains(a.Service.KnownAddresses, p => p.NodeId == bogus[0].Item1);
        Assert.DoesNotContain(a.Service.KnownAddresses, p => p.NodeId == bogus[1].Item1);
        handshake.Channel.Dispose();
    }

    [Fact]
    public async Task PersistentPeer_ThatRestarts_IsRedialed()
    {
        var keyB = NodeKey.Generate();
        var b = await TestNode.StartAsync("B", output, key: keyB);
        var portB = b.EndPoint.Port;
        await using var a = await TestNode.StartAsync("A", output, o => o.PersistentPeers.Add(b.Address));
        await Wait.UntilAsync(() => a.IsConnectedTo(b), "first connection");
        var firstSession = a.Service.Peers.Single().SessionId;

        await b.DisposeAsync();
        await Wait.UntilAsync(() => a.Disconnected.Count == 1 && a.Service.Peers.Count == 0, "A notices B is gone");
        await Task.Delay(300); // A's redials fail meanwhile (connection refused) and back off

        await using var b2 = await TestNode.StartAsync("B2", output, o => o.ListenEndPoint = new IPEndPoint(IPAddress.Loopback, portB), key: keyB);
        await Wait.UntilAsync(() => a.IsConnectedTo(b2), "A redialed B after its restart");
        Assert.NotEqual(firstSession, a.Service.Peers.Single().SessionId);
        Assert.Equal(2, a.Connected.Count);
    }
}
