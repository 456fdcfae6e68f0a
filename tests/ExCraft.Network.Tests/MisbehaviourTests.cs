using System.Buffers.Binary;
using System.Net;
using ExCraft.Core.Crypto;
using ExCraft.Network.Protocol;
using Xunit.Abstractions;

namespace ExCraft.Network.Tests;

/// <summary>
/// Attackers connect from other loopback addresses (127.0.0.2...) so that banning their IP does
/// not ban the honest nodes on 127.0.0.1; all traffic still goes to 127.0.0.1.
/// </summary>
public sealed class MisbehaviourTests(ITestOutputHelper output)
{
    public static TheoryData<string, byte[]> GarbageInputs => new()
    {
        { "random bytes", "GET / HTTP/1.1\r\nHost: example\r\n\r\n0123456789"u8.ToArray() },
        { "oversized length prefix", [0x7f, 0xff, 0xff, 0xff, .. new byte[40]] },
    };

    [Theory]
    [MemberData(nameof(GarbageInputs))]
    public async Task GarbageBeforeTheHandshake_DisconnectsAndBansTheIp(string what, byte[] garbage)
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var c = await TestNode.StartAsync("C", output, o => o.PersistentPeers.Add(a.Address));
        await Wait.UntilAsync(() => a.IsConnectedTo(c) && c.IsConnectedTo(a), "existing honest connection, on both sides");

        await using (var raw = await RawClient.ConnectAsync(a.EndPoint, "127.0.0.2"))
        {
            await raw.Stream.WriteAsync(garbage);
            await Wait.ForClosedAsync(raw.Stream);
        }
        await Wait.UntilAsync(() => a.Rejected.Count == 1, $"{what}: rejected");
        Assert.True(a.Service.IsBanned(IPAddress.Parse("127.0.0.2")));
        var rejection = a.Rejected.Single();
        Assert.Equal(DisconnectReason.ProtocolViolation, rejection.Reason);
        Assert.True(rejection.Banned);
        Assert.Null(rejection.NodeId);
        Assert.Contains(a.Logs, l => l.Contains("banned IP 127.0.0.2"));

        // The banned address is refused at once.
        await using (var again = await RawClient.ConnectAsync(a.EndPoint, "127.0.0.2"))
        {
            await Wait.ForClosedAsync(again.Stream);
        }
        await Wait.UntilAsync(() => a.Rejected.Any(r => r.Reason == DisconnectReason.Banned), "refused while banned");

        await AssertStillServesHonestPeers(a, c);
    }

    [Fact]
    public async Task OversizedLengthPrefix_AfterTheHandshake_ClosesBeforeReadingTheBody_AndBans()
    {
        await using var a = await TestNode.StartAsync("A", output, o => o.MaxFrameSize = 64 * 1024);
        await using var c = await TestNode.StartAsync("C", output, o => { o.PersistentPeers.Add(a.Address); o.MaxFrameSize = 64 * 1024; });
        await Wait.UntilAsync(() => a.IsConnectedTo(c) && c.IsConnectedTo(a), "existing honest connection, on both sides");

        var attacker = NodeKey.Generate();
        await using var raw = await RawClient.ConnectAsync(a.EndPoint, "127.0.0.3");
        var handshake = await RawClient.HandshakeAsync(raw.Stream, attacker);
        await Wait.UntilAsync(() => a.Service.Peers.Any(p => p.NodeId == attacker.NodeId), "attacker admitted");

        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, 64 * 1024 + 1); // one byte over the limit; no body follows
        await raw.Stream.WriteAsync(header);
        await Wait.ForClosedAsync(raw.Stream);

        await Wait.UntilAsync(() => a.Disconnected.Any(d => d.Peer.NodeId == attacker.NodeId), "attacker disconnected");
        var d = a.Disconnected.Single(x => x.Peer.NodeId == attacker.NodeId);
        Assert.Equal(DisconnectReason.FrameTooLarge, d.Reason);
        Assert.True(d.Banned);
        Assert.True(a.Service.IsBanned(attacker.NodeId));
        Assert.True(a.Service.IsBanned(IPAddress.Parse("127.0.0.3")));
        handshake.Channel.Dispose();

        await AssertStillServesHonestPeers(a, c);
    }

    [Fact]
    public async Task TamperedCiphertext_DisconnectsAndBans_OthersUnaffected()
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var c = await TestNode.StartAsync("C", output, o => o.PersistentPeers.Add(a.Address));
        await Wait.UntilAsync(() => a.IsConnectedTo(c) && c.IsConnectedTo(a), "existing honest connection, on both sides");

        var attacker = NodeKey.Generate();
        await using var raw = await RawClient.ConnectAsync(a.EndPoint, "127.0.0.2");
        var tamper = new TamperingStream(raw.Stream);
        var handshake = await RawClient.HandshakeAsync(tamper, attacker);
        var received = 0;
        a.Service.OnMessage(MessageTypes.Transactions, (_, _) => Interlocked.Increment(ref received));

        // A valid frame first, then the same kind of frame with one bit flipped.
        await handshake.Channel.WriteAsync(Envelope.Encode(MessageTypes.Transactions, [1, 2, 3, 4, 5, 6, 7, 8]), CancellationToken.None);
        await Wait.UntilAsync(() => Volatile.Read(ref received) == 1, "the valid frame is delivered");
        tamper.TamperNextWrite = true;
        await handshake.Channel.WriteAsync(Envelope.Encode(MessageTypes.Transactions, [1, 2, 3, 4, 5, 6, 7, 8]), CancellationToken.None);
        await Wait.ForClosedAsync(raw.Stream);

        await Wait.UntilAsync(() => a.Disconnected.Any(d => d.Peer.NodeId == attacker.NodeId), "attacker disconnected");
        var d = a.Disconnected.Single(x => x.Peer.NodeId == attacker.NodeId);
        Assert.Equal(DisconnectReason.DecryptionFailed, d.Reason);
        Assert.True(d.Banned);
        Assert.Equal(1, Volatile.Read(ref received));
        Assert.True(a.Service.IsBanned(attacker.NodeId));
        Assert.Contains(a.Banned, b => b.NodeId == attacker.NodeId && b.Reason.Contains("DecryptionFailed"));
        handshake.Channel.Dispose();

        // The banned node id is refused even from another address.
        await using (var back = await RawClient.ConnectAsync(a.EndPoint, "127.0.0.4"))
        {
            var refused = await Assert.ThrowsAsync<HandshakeException>(() => RawClient.HandshakeAsync(back.Stream, attacker));
            Assert.True(refused.ByRemote);
            Assert.Equal(DisconnectReason.Banned, refused.Reason);
        }

        await AssertStillServesHonestPeers(a, c);
    }

    /// <summary>
    /// A Hello whose signature was made for another session (replayed, or relayed by a man in
    /// the middle) fails, and the id it claims is not banned (the claim is unauthenticated).
    /// </summary>
    [Fact]
    public async Task HelloSignedForAnotherSession_IsRejected_AndTheClaimedIdIsNotBanned()
    {
        await using var a = await TestNode.StartAsync("A", output);
        var victim = NodeKey.Generate();

        await using var raw = await RawClient.ConnectAsync(a.EndPoint, "127.0.0.2");
        var ephemeral = PrivateKey.Generate();
        var mine = Handshake.FirstMessage(ephemeral.PublicKey);
        await raw.Stream.WriteAsync(mine);
        var theirs = new byte[Handshake.FirstMessageSize];
        await raw.Stream.ReadExactlyAsync(theirs);
        var transcript = Handshake.TranscriptHash(mine, theirs);
        var keys = Handshake.DeriveKeys(Secp256k1Ecdh.SharedSecret(ephemeral, new ExCraft.Core.Crypto.PublicKey(theirs.AsSpan(5))), transcript);
        using var channel = new SecureChannel(raw.Stream, keys.InitiatorToResponder, keys.ResponderToInitiator, 1024);

        var otherSession = new byte[32];
        otherSession[0] = 1;
        var replayed = Hello.Create(victim, TestNode.DefaultIdentity, 0, Hello.InitiatorRole, otherSession);
        await channel.WriteAsync(Envelope.Encode(MessageTypes.Hello, replayed.Encode()), CancellationToken.None);
        await Wait.ForClosedAsync(raw.Stream);

        await Wait.UntilAsync(() => a.Rejected.Count == 1, "rejected");
        var rejection = a.Rejected.Single();
        Assert.Equal(DisconnectReason.BadSignature, rejection.Reason);
        Assert.True(rejection.Banned);
        Assert.Null(rejection.NodeId);
        Assert.False(a.Service.IsBanned(victim.NodeId));
        Assert.True(a.Service.IsBanned(IPAddress.Parse("127.0.0.2")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flooding_BeyondTheRateLimit_IsSlowedDown_NeverPenalizedOrBanned_AndEveryMessageArrivesInOrder(bool persistent)
    {
        var flooderKey = NodeKey.Generate();
        await using var flooder = await TestNode.StartAsync("flooder", output, o => o.DialLocalAddress = IPAddress.Parse("127.0.0.3"), key: flooderKey);
        await using var a = await TestNode.StartAsync("A", output, o =>
        {
            o.MessagesPerSecond = 50;
            o.MessageBurst = 50;
            if (persistent) o.PersistentPeers.Add(flooder.Address);
        });
        await using var honest = await TestNode.StartAsync("honest", output, o => o.PersistentPeers.Add(a.Address));
        if (!persistent) flooder.Service.AddPeer(PeerAddress.Parse(a.Address), persistent: true);
        await Wait.UntilAsync(() => a.IsConnectedTo(flooder) && flooder.IsConnectedTo(a) && a.IsConnectedTo(honest), "connected (the flooder's own side too: it sends next)");
        Assert.Equal(persistent, a.Service.Peers.Single(p => p.NodeId == flooder.Id).Persistent);

        var received = new System.Collections.Concurrent.ConcurrentQueue<byte>();
        a.Service.OnMessage(MessageTypes.Transactions, (peer, payload) => { if (peer.NodeId == flooder.Id) received.Enqueue(payload[0]); });
        var started = DateTime.UtcNow;
        const int sent = 250;
        for (var i = 0; i < sent; i++) Assert.True(flooder.Service.Send(a.Id, MessageTypes.Transactions, [(byte)i]));

        // 250 messages at 50 per second after a burst of 50 (less what pings and handshake traffic used): about 4 s.
        await Wait.UntilAsync(() => received.Count == sent, "every flooded message delivered", TimeSpan.FromSeconds(20));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(3), $"the flood was not slowed down: {DateTime.UtcNow - started}");
        Assert.Equal(Enumerable.Range(0, sent).Select(i => (byte)i), received);
        Assert.Empty(a.Banned);
        Assert.False(a.Service.IsBanned(flooder.Id));
        Assert.DoesNotContain(a.Disconnected, d => d.Peer.NodeId == flooder.Id);
        Assert.Equal(100, a.Service.Peers.Single(p => p.NodeId == flooder.Id).Score);
        Assert.DoesNotContain(a.Logs, l => l.Contains("penalized"));
        Assert.Contains(a.Logs, l => l.Contains("faster than the rate limit"));

        // The honest peer never noticed.
        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Service.OnMessage(MessageTypes.Vote, (peer, _) => { if (peer.NodeId == honest.Id) got.TrySetResult(); });
        Assert.True(honest.Service.Send(a.Id, MessageTypes.Vote, [1]));
        await got.Task.WaitAsync(Wait.Default);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FastAndInvalid_IsBannedForTheInvalidMessages_PersistentOrNot_AndTheBannedIdIsRefused(bool persistent)
    {
        var badKey = NodeKey.Generate();
        await using var bad = await TestNode.StartAsync("bad", output, o => o.DialLocalAddress = IPAddress.Parse("127.0.0.3"), key: badKey);
        await using var a = await TestNode.StartAsync("A", output, o =>
        {
            o.MessagesPerSecond = 50;
            o.MessageBurst = 50;
            o.BanDuration = TimeSpan.FromMinutes(5);
            if (persistent) o.PersistentPeers.Add(bad.Address);
        });
        if (!persistent) bad.Service.AddPeer(PeerAddress.Parse(a.Address), persistent: true);
        await Wait.UntilAsync(() => a.IsConnectedTo(bad) && bad.IsConnectedTo(a), "connected on both sides"); // its sends below need its own side up

        // The application finds every Vote invalid (say, a bad signature) and penalizes it: that is evidence.
        a.Service.OnMessage(MessageTypes.Vote, (peer, _) => peer.Penalize("invalid vote signature", 30));
        for (var i = 0; i < 100; i++) bad.Service.Send(a.Id, MessageTypes.Transactions, [(byte)i]);
        for (var i = 0; i < 4; i++) bad.Service.Send(a.Id, MessageTypes.Vote, [(byte)i]);

        await Wait.UntilAsync(() => a.Disconnected.Any(d => d.Peer.NodeId == bad.Id), "bad peer disconnected");
        var d = a.Disconnected.Single(x => x.Peer.NodeId == bad.Id);
        Assert.Equal(DisconnectReason.ScoreTooLow, d.Reason);
        Assert.True(d.Banned);
        Assert.Contains("invalid vote signature", d.Message);
        Assert.DoesNotContain("rate", d.Message);
        Assert.True(a.Service.IsBanned(bad.Id));

        // Same node key from a fresh address: refused by node id during the ban (a persistent entry is not redialed either).
        await using var again = await TestNode.StartAsync("again", output, o => o.DialLocalAddress = IPAddress.Parse("127.0.0.4"), key: badKey);
        var refused = await Assert.ThrowsAsync<HandshakeException>(() => again.Service.ConnectAsync(PeerAddress.Parse(a.Address)));
        Assert.Equal(DisconnectReason.Banned, refused.Reason);
        Assert.True(refused.ByRemote);
        Assert.DoesNotContain(a.Service.Peers, p => p.NodeId == badKey.NodeId);
    }

    [Fact]
    public async Task ApplicationPenalties_Accumulate_ToABan()
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var b = await TestNode.StartAsync("B", output, o => o.PersistentPeers.Add(a.Address));
        await Wait.UntilAsync(() => a.IsConnectedTo(b) && b.IsConnectedTo(a), "connected on both sides"); // B may still be finishing its handshake when A lists it

        var handled = 0;
        a.Service.OnMessage(MessageTypes.Vote, (peer, _) =>
        {
            peer.Penalize("invalid vote signature", 30);
            Interlocked.Increment(ref handled);
        });
        for (var i = 0; i < 3; i++) b.Service.Send(a.Id, MessageTypes.Vote, [(byte)i]);
        await Wait.UntilAsync(() => Volatile.Read(ref handled) == 3, "three votes handled");
        Assert.Equal(10, a.Service.Peers.Single().Score);
        Assert.True(a.IsConnectedTo(b));

        b.Service.Send(a.Id, MessageTypes.Vote, [3]);
        await Wait.UntilAsync(() => a.Disconnected.Count == 1, "banned at the fourth");
        var d = a.Disconnected.Single();
        Assert.Equal(DisconnectReason.ScoreTooLow, d.Reason);
        Assert.True(d.Banned);
        Assert.Contains("invalid vote signature", d.Message);
        Assert.True(a.Service.IsBanned(b.Id));
        await Wait.UntilAsync(() => b.Disconnected.Any(x => x.ByRemote && x.Reason == DisconnectReason.ScoreTooLow), "B told why");
    }

    [Fact]
    public async Task ThrowingHandler_DoesNotAffectThePeer_AndOrderIsKept()
    {
        await using var a = await TestNode.StartAsync("A", output);
        await using var b = await TestNode.StartAsync("B", output, o => o.PersistentPeers.Add(a.Address));
        await Wait.UntilAsync(() => a.IsConnectedTo(b) && b.IsConnectedTo(a), "connected on both sides"); // B may still be finishing its handshake when A lists it

        var seen = new List<int>();
        a.Service.OnMessage(MessageTypes.Transactions, async (_, payload, ct) =>
        {
            await Task.Yield();
            lock (seen) seen.Add(BinaryPrimitives.ReadInt32BigEndian(payload));
            if (payload[3] % 50 == 0) throw new InvalidOperationException("application bug");
        });
        for (var i = 0; i < 300; i++)
        {
            var payload = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(payload, i);
            Assert.True(b.Service.Send(a.Id, MessageTypes.Transactions, payload));
        }
        await Wait.UntilAsync(() => { lock (seen) return seen.Count == 300; }, "all delivered");
        lock (seen) Assert.Equal(Enumerable.Range(0, 300), seen);
        Assert.True(a.IsConnectedTo(b));
        Assert.Equal(100, a.Service.Peers.Single().Score);
        Assert.Contains(a.Logs, l => l.Contains("application bug"));
    }

    [Fact]
    public async Task SlowHandler_PausesReading_WithoutLosingOrReorderingMessages()
    {
        await using var a = await TestNode.StartAsync("A", output, o =>
        {
            o.ReceiveQueueCapacity = 4;
            o.MaxFrameSize = 64 * 1024;
            o.ReceiveQueueMaxBytes = 64 * 1024;
            o.ByteBurst = 64 * 1024 * 1024;
        });
        await using var b = await TestNode.StartAsync("B", output, o => { o.PersistentPeers.Add(a.Address); o.MaxFrameSize = 64 * 1024; });
        await Wait.UntilAsync(() => a.IsConnectedTo(b) && b.IsConnectedTo(a), "connected on both sides"); // B may still be finishing its handshake when A lists it

        var seen = new List<byte>();
        a.Service.OnMessage(MessageTypes.BlockResponse, async (_, payload, ct) =>
        {
            await Task.Delay(5, ct);
            lock (seen) seen.Add(payload[0]);
        });
        for (var i = 0; i < 60; i++) Assert.True(b.Service.Send(a.Id, MessageTypes.BlockResponse, [(byte)i, .. new byte[30_000]]));
        await Wait.UntilAsync(() => { lock (seen) return seen.Count == 60; }, "all delivered despite the small receive queue");
        lock (seen) Assert.Equal(Enumerable.Range(0, 60).Select(i => (byte)i), seen);
        Assert.True(a.IsConnectedTo(b));
    }

    [Fact]
    public async Task SilentPeer_AfterTheHandshake_IsDisconnectedAsIdle_WhileHonestPeersPingEachOther()
    {
        // Ten pings per idle timeout: an honest link survives the scheduling stalls of a loaded
        // 2-core machine (a second without a ping was enough to drop it there).
        static void Fast(NetworkOptions o)
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.IdleTimeout = TimeSpan.FromMilliseconds(2000);
        }
        await using var a = await TestNode.StartAsync("A", output, Fast);
        await using var c = await TestNode.StartAsync("C", output, o => { Fast(o); o.PersistentPeers.Add(a.Address); });
        await Wait.UntilAsync(() => a.IsConnectedTo(c), "connected");

        var silent = NodeKey.Generate();
        await using var raw = await RawClient.ConnectAsync(a.EndPoint);
        var handshake = await RawClient.HandshakeAsync(raw.Stream, silent);
        await Wait.UntilAsync(() => a.Disconnected.Any(d => d.Peer.NodeId == silent.NodeId), "silent peer dropped");
        var d = a.Disconnected.Single(x => x.Peer.NodeId == silent.NodeId);
        Assert.Equal(DisconnectReason.Idle, d.Reason);
        Assert.False(d.Banned);
        handshake.Channel.Dispose();

        // Pings keep the honest connection alive well past the idle timeout.
        await Task.Delay(3000);
        Assert.True(a.IsConnectedTo(c));
        Assert.DoesNotContain(a.Disconnected, x => x.Peer.NodeId == c.Id);
    }

    private static async Task AssertStillServesHonestPeers(TestNode a, TestNode existing)
    {
        // The existing connection still works ...
        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = a.Service.OnMessage(MessageTypes.Status, (peer, _) => { if (peer.NodeId == existing.Id) got.TrySetResult(); });
        Assert.True(existing.Service.Send(a.Id, MessageTypes.Status, [42]));
        await got.Task.WaitAsync(Wait.Default);
        Assert.True(a.IsConnectedTo(existing));

        // ... and a new honest node is accepted.
        await using var fresh = await TestNode.StartAsync("fresh", null);
        var info = await fresh.Service.ConnectAsync(PeerAddress.Parse(a.Address));
        Assert.Equal(a.Id, info.NodeId);
        await Wait.UntilAsync(() => a.IsConnectedTo(fresh), "fresh node accepted");
    }
}
