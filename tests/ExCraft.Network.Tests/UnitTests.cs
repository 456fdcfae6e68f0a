using System.Net;
using System.Security.Cryptography;
using ExCraft.Core.Encoding;
using ExCraft.Network.Peers;
using ExCraft.Network.Protocol;

namespace ExCraft.Network.Tests;

public sealed class NodeKeyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "excraft-nodekey-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void SaveLoad_RoundTrips_WithOwnerOnlyMode()
    {
        var path = Path.Combine(_dir, "config", "node_key.json");
        var key = NodeKey.Generate();
        key.Save(path);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = File.ReadAllText(path);
        Assert.Contains(key.NodeId.ToString(), text);
        Assert.StartsWith("ext1", key.NodeId.ToString());

        var loaded = NodeKey.Load(path);
        Assert.Equal(key.NodeId, loaded.NodeId);
        Assert.Equal(key.PrivateKey.ToHex(), loaded.PrivateKey.ToHex());
        Assert.DoesNotContain(key.PrivateKey.ToHex(), key.ToString());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
    }

    [Fact]
    public void LoadOrCreate_CreatesOnce_ThenLoads()
    {
        var path = Path.Combine(_dir, "node_key.json");
        var first = NodeKey.LoadOrCreate(path);
        var second = NodeKey.LoadOrCreate(path);
        Assert.Equal(first.NodeId, second.NodeId);
    }

    [Fact]
    public void Load_RejectsAMismatchedNodeId_AndBadFiles()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "k.json");
        var key = NodeKey.Generate();
        File.WriteAllText(path, $"{{\"nodeId\":\"{NodeKey.Generate().NodeId}\",\"privateKey\":\"{key.PrivateKey.ToHex()}\"}}");
        Assert.Contains("does not match", Assert.Throws<FormatException>(() => NodeKey.Load(path)).Message);
        File.WriteAllText(path, "{\"privateKey\":\"0x00\"}");
        Assert.Throws<FormatException>(() => NodeKey.Load(path));
        File.WriteAllText(path, "not json");
        Assert.Throws<FormatException>(() => NodeKey.Load(path));
        File.WriteAllText(path, $"{{\"privateKey\":\"{key.PrivateKey.ToHex()}\"}}");
        Assert.Equal(key.NodeId, NodeKey.Load(path).NodeId);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}

public sealed class PeerAddressTests
{
    [Fact]
    public void Parses_HostPort_NodeIdAtHostPort_AndIpv6()
    {
        var id = NodeKey.Generate().NodeId;
        var plain = PeerAddress.Parse("127.0.0.1:26656");
        Assert.Null(plain.NodeId);
        Assert.Equal(("127.0.0.1", 26656), (plain.Host, plain.Port));

        var withId = PeerAddress.Parse($"{id}@seed.example.org:30303");
        Assert.Equal(id, withId.NodeId);
        Assert.Equal("seed.example.org", withId.Host);
        Assert.Equal($"{id}@seed.example.org:30303", withId.ToString());

        var hexId = PeerAddress.Parse($"{id.ToHex()}@[::1]:26656");
        Assert.Equal(id, hexId.NodeId);
        Assert.Equal("::1", hexId.Host);
        Assert.Equal("[::1]:26656", hexId.EndPointText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("::1:26656")]
    [InlineData("[zz]:1")]
    [InlineData("bad id@127.0.0.1:1")]
    [InlineData("host name:1")]
    public void Rejects_Malformed(string text)
    {
        Assert.False(PeerAddress.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Options_ValidatePeerAddresses()
    {
        var options = new NetworkOptions { PersistentPeers = ["nope"] };
        Assert.Contains("PersistentPeers", Assert.Throws<ArgumentException>(options.Validate).Message);
    }
}

public sealed class SecureChannelTests
{
    private static (byte[], byte[]) Keys() => (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task RoundTrip_AndNoncesAdvancePerDirection()
    {
        var (k1, k2) = Keys();
        var wire = new MemoryStream();
        using var sender = new SecureChannel(wire, k1, k2, 1024);
        await sender.WriteAsync("hello"u8.ToArray(), CancellationToken.None);
        await sender.WriteAsync("again"u8.ToArray(), CancellationToken.None);
        Assert.Equal(2ul, sender.SendCounter);
        var bytes = wire.ToArray();
        Assert.Equal(2 * (4 + 5 + 16), bytes.Length);
        Assert.Equal(new byte[] { 0, 0, 0, 21 }, bytes[..4]);

        using var receiver = new SecureChannel(new MemoryStream(bytes), k2, k1, 1024);
        Assert.Equal("hello"u8.ToArray(), await receiver.ReadAsync(CancellationToken.None));
        Assert.Equal("again"u8.ToArray(), await receiver.ReadAsync(CancellationToken.None));
        Assert.Null(await receiver.ReadAsync(CancellationToken.None)); // clean end of stream
    }

    [Fact]
    public async Task ReplayedOrReorderedFrame_FailsAuthentication()
    {
        var (k1, k2) = Keys();
        var wire = new MemoryStream();
        using var sender = new SecureChannel(wire, k1, k2, 1024);
        await sender.WriteAsync(new byte[] { 1 }, CancellationToken.None);
        var first = wire.ToArray();
        using var receiver = new SecureChannel(new MemoryStream([.. first, .. first]), k2, k1, 1024);
        await receiver.ReadAsync(CancellationToken.None);
        var e = await Assert.ThrowsAsync<FrameException>(async () => await receiver.ReadAsync(CancellationToken.None));
        Assert.Equal(DisconnectReason.DecryptionFailed, e.Reason);
    }

    [Fact]
    public async Task TamperedLengthPrefix_FailsAuthentication()
    {
        var (k1, k2) = Keys();
        var wire = new MemoryStream();
        using var sender = new SecureChannel(wire, k1, k2, 1024);
        await sender.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        var bytes = wire.ToArray();
        bytes[3]--; // claims one byte less: the tag no longer matches (the prefix is associated data)
        using var receiver = new SecureChannel(new MemoryStream(bytes), k2, k1, 1024);
        var e = await Assert.ThrowsAsync<FrameException>(async () => await receiver.ReadAsync(CancellationToken.None));
        Assert.Equal(DisconnectReason.DecryptionFailed, e.Reason);
    }

    [Fact]
    public async Task OversizedLength_IsRefusedWithoutReadingTheBody()
    {
        var (k1, k2) = Keys();
        using var receiver = new SecureChannel(new MemoryStream([0x00, 0x00, 0x04, 0x01]), k2, k1, 1024); // 1025, no body at all
        var e = await Assert.ThrowsAsync<FrameException>(async () => await receiver.ReadAsync(CancellationToken.None));
        Assert.Equal(DisconnectReason.FrameTooLarge, e.Reason);

        using var sender = new SecureChannel(new MemoryStream(), k1, k2, 1024);
        await Assert.ThrowsAsync<FrameException>(async () => await sender.WriteAsync(new byte[1024 - 16 + 1], CancellationToken.None));
        await sender.WriteAsync(new byte[1024 - 16], CancellationToken.None);
    }

    [Fact]
    public async Task NonceCounter_IsNeverWrapped()
    {
        var (k1, k2) = Keys();
        var wire = new MemoryStream();
        using var sender = new SecureChannel(wire, k1, k2, 1024, initialSendCounter: ulong.MaxValue - 1);
        await sender.WriteAsync(new byte[] { 1 }, CancellationToken.None); // uses the last counter value
        var e = await Assert.ThrowsAsync<FrameException>(async () => await sender.WriteAsync(new byte[] { 2 }, CancellationToken.None));
        Assert.Equal(DisconnectReason.NonceExhausted, e.Reason);

        using var receiver = new SecureChannel(new MemoryStream(wire.ToArray()), k2, k1, 1024, initialReceiveCounter: ulong.MaxValue - 1);
        Assert.Equal(new byte[] { 1 }, await receiver.ReadAsync(CancellationToken.None));
        Assert.Equal(ulong.MaxValue, receiver.ReceiveCounter);
    }

    [Fact]
    public void Nonce_IsFourZeroBytesThenTheCounterBigEndian()
    {
        var nonce = new byte[12];
        SecureChannel.WriteNonce(nonce, 0x0102030405060708);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, nonce);
    }
}

public sealed class HandshakeUnitTests
{
    [Fact]
    public async Task BothSides_DeriveMirroredKeys_OverAnInMemoryLink()
    {
        var (left, right) = await LoopbackPairAsync();
        using var l = left;
        using var r = right;
        var ka = NodeKey.Generate();
        var kb = NodeKey.Generate();
        var id = new NetworkIdentity(1, new byte[32], 1);
        var ta = Handshake.RunAsync(l.GetStream(), true, ka, id, 1111, kb.NodeId, _ => null, 4096, CancellationToken.None);
        var tb = Handshake.RunAsync(r.GetStream(), false, kb, id, 2222, null, _ => null, 4096, CancellationToken.None);
        var (ra, rb) = (await ta, await tb);
        Assert.Equal(kb.NodeId, ra.Remote.NodeId);
        Assert.Equal(ka.NodeId, rb.Remote.NodeId);
        Assert.Equal(2222, ra.Remote.ListenPort);
        Assert.Equal(1111, rb.Remote.ListenPort);
        Assert.Equal(ra.SessionId, rb.SessionId);
        await ra.Channel.WriteAsync(new byte[] { 7 }, CancellationToken.None);
        Assert.Equal(new byte[] { 7 }, await rb.Channel.ReadAsync(CancellationToken.None));
        await rb.Channel.WriteAsync(new byte[] { 8 }, CancellationToken.None);
        Assert.Equal(new byte[] { 8 }, await ra.Channel.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void KeyDerivation_SeparatesDirections_AndDependsOnTheTranscript()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var th1 = RandomNumberGenerator.GetBytes(32);
        var th2 = RandomNumberGenerator.GetBytes(32);
        var a = Handshake.DeriveKeys(secret.ToArray(), th1);
        var b = Handshake.DeriveKeys(secret.ToArray(), th2);
        Assert.NotEqual(a.InitiatorToResponder, a.ResponderToInitiator);
        Assert.NotEqual(a.InitiatorToResponder, b.InitiatorToResponder);
        // Independent HKDF computation (RFC 5869 with .NET's one-shot DeriveKey).
        Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, th1, "ExCraft-P2P-v1 initiator->responder"u8.ToArray()), a.InitiatorToResponder);
    }

    [Fact]
    public void HelloSignature_IsBoundToRoleAndTranscript()
    {
        var key = NodeKey.Generate();
        var th = RandomNumberGenerator.GetBytes(32);
        var hello = Hello.Create(key, new NetworkIdentity(5, new byte[32], 3), 26656, Hello.InitiatorRole, th);
        var decoded = Hello.Decode(hello.Encode());
        Assert.Equal(key.NodeId, decoded.NodeId);
        Assert.Equal((5ul, 3u, 26656), (decoded.ChainId, decoded.ProtocolVersion, decoded.ListenPort));
        Assert.True(decoded.StaticKey.Verify(Hello.SigningHash(Hello.InitiatorRole, th), decoded.Signature));
        Assert.False(decoded.StaticKey.Verify(Hello.SigningHash(Hello.ResponderRole, th), decoded.Signature));
        Assert.False(decoded.StaticKey.Verify(Hello.SigningHash(Hello.InitiatorRole, RandomNumberGenerator.GetBytes(32)), decoded.Signature));
    }

    [Fact]
    public void Envelope_IsStrict()
    {
        var encoded = Envelope.Encode(MessageTypes.Vote, [1, 2]);
        var (type, payload) = Envelope.Decode(encoded);
        Assert.Equal(MessageTypes.Vote, type);
        Assert.Equal(new byte[] { 1, 2 }, payload);
        Assert.Throws<RlpException>(() => Envelope.Decode([.. encoded, 0x00]));                      // trailing byte
        Assert.Throws<RlpException>(() => Envelope.Decode(Rlp.EncodeList(Rlp.EncodeUInt(1))));        // one field
        Assert.Throws<RlpException>(() => Envelope.Decode(Rlp.EncodeList(Rlp.EncodeUInt(1ul << 40), Rlp.EncodeBytes([])))); // type > 32 bits
    }

    private static async Task<(System.Net.Sockets.TcpClient, System.Net.Sockets.TcpClient)> LoopbackPairAsync()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new System.Net.Sockets.TcpClient();
            var accept = listener.AcceptTcpClientAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return (client, await accept);
        }
        finally
        {
            listener.Stop();
        }
    }
}

public sealed class RateAndScoreTests
{
    [Fact]
    public void TokenBucket_Reserve_GoesIntoDebt_AndSaysHowLongToWait()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(10, 5, time);
        for (var i = 0; i < 5; i++) Assert.Equal(TimeSpan.Zero, bucket.Reserve(1));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.Reserve(1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.Reserve(1));
        time.Advance(TimeSpan.FromMilliseconds(200)); // the debt is paid
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.Reserve(1));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(5)); // refilled to the burst, not beyond
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.Reserve(1));
    }

    [Fact]
    public void RateThrottle_DelaysOverEitherBudget_AndCountsIt()
    {
        var time = new ManualTime();
        var throttle = new RateThrottle(new NetworkOptions { MessagesPerSecond = 10, MessageBurst = 3, BytesPerSecond = 1000, ByteBurst = 4 * 1024 * 1024, TimeProvider = time });
        for (var i = 0; i < 3; i++) Assert.Equal(TimeSpan.Zero, throttle.Charge(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100), throttle.Charge(100)); // message budget
        Assert.Equal(1, throttle.Throttled);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.Charge(4 * 1024 * 1024 + 1000)); // byte budget: 1000 bytes over at 1000/s
        Assert.Equal(2, throttle.Throttled);
    }

    [Fact]
    public void PeerScore_Penalties_Subtract_AndRecoverUpToTheInitialScore()
    {
        var time = new ManualTime();
        var score = new PeerScore(100, 60, time); // 1 point per second
        Assert.Equal(70, score.Penalize(30));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(80, score.Value);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(100, score.Value);
    }

    [Fact]
    public async Task SendQueue_ServesHighPriorityFirst_DropsNormalWhenFull_AndEndsWithTheFinalMessage()
    {
        var queue = new SendQueue(2, 1000);
        Assert.Equal(EnqueueResult.Enqueued, queue.TryEnqueue([1], MessagePriority.Normal));
        Assert.Equal(EnqueueResult.Enqueued, queue.TryEnqueue([2], MessagePriority.Normal));
        Assert.Equal(EnqueueResult.Full, queue.TryEnqueue([3], MessagePriority.Normal));
        Assert.Equal(EnqueueResult.Enqueued, queue.TryEnqueue([9], MessagePriority.High));
        Assert.Equal(EnqueueResult.Full, queue.TryEnqueue(new byte[2000], MessagePriority.High)); // byte budget

        var idle = TimeSpan.FromMilliseconds(50);
        Assert.Equal(new byte[] { 9 }, (await queue.DequeueAsync(idle, CancellationToken.None)).Envelope);
        Assert.Equal(new byte[] { 1 }, (await queue.DequeueAsync(idle, CancellationToken.None)).Envelope);
        queue.Close([0xdd]);
        Assert.Equal(EnqueueResult.Closed, queue.TryEnqueue([4], MessagePriority.High));
        var final = await queue.DequeueAsync(idle, CancellationToken.None);
        Assert.Equal(DequeueResult.Message, final.Result);
        Assert.Equal(new byte[] { 0xdd }, final.Envelope);
        Assert.Equal(DequeueResult.Closed, (await queue.DequeueAsync(idle, CancellationToken.None)).Result);
        Assert.Equal(DequeueResult.Idle, (await new SendQueue(1, 10).DequeueAsync(idle, CancellationToken.None)).Result);
    }

    [Fact]
    public void BanList_Expires()
    {
        var time = new ManualTime();
        var bans = new BanList(time);
        var id = NodeKey.Generate().NodeId;
        bans.Ban(id, IPAddress.Parse("10.0.0.1"), TimeSpan.FromMinutes(1), "test");
        Assert.True(bans.IsBanned(id, out _));
        Assert.True(bans.IsBanned(IPAddress.Parse("::ffff:10.0.0.1"), out _)); // IPv4-mapped form too
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(bans.IsBanned(id, out _));
        Assert.False(bans.IsBanned(IPAddress.Parse("10.0.0.1"), out _));
        Assert.Empty(bans.Snapshot());
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by)
        {
            _ticks += by.Ticks;
            _now += by;
        }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public override DateTimeOffset GetUtcNow() => _now;
    }
}
