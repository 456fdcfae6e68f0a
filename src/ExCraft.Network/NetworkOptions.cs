using System.Net;

namespace ExCraft.Network;

/// <summary>Configuration of the P2P service. Defaults suit a validator; tests shorten the timings.</summary>
public sealed class NetworkOptions
{
    public const int DefaultPort = 26656;

    /// <summary>Where to accept connections; port 0 picks a free port. Null: do not listen (dial only).</summary>
    public IPEndPoint? ListenEndPoint { get; set; } = new(IPAddress.Loopback, DefaultPort);

    /// <summary>Peers kept connected at all times ("host:port" or "nodeid@host:port"); redialed with backoff, not counted against <see cref="MaxOutboundPeers"/>.</summary>
    public List<string> PersistentPeers { get; set; } = [];

    /// <summary>Entry points dialed at start (and again when short of peers) to learn more addresses.</summary>
    public List<string> Seeds { get; set; } = [];

    /// <summary>Local address outgoing connections are bound to (multi-homed hosts); null lets the OS choose.</summary>
    public IPAddress? DialLocalAddress { get; set; }

    public int MaxInboundPeers { get; set; } = 40;
    public int MaxOutboundPeers { get; set; } = 10;

    /// <summary>Inbound connections still in their handshake; more are closed at accept.</summary>
    public int MaxPendingHandshakes { get; set; } = 32;

    /// <summary>Largest frame body (ciphertext including the 16-byte tag) accepted or sent. A larger length prefix closes the connection before the body is read.</summary>
    public int MaxFrameSize { get; set; } = 4 * 1024 * 1024;

    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages waiting to be sent to one peer, per priority.</summary>
    public int SendQueueCapacity { get; set; } = 1024;

    /// <summary>Bytes waiting to be sent to one peer, both priorities together.</summary>
    public long SendQueueMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Messages received from one peer waiting for the application's handlers; a full queue stops reading from that peer (TCP back-pressure).</summary>
    public int ReceiveQueueCapacity { get; set; } = 1024;

    /// <summary>Bytes of received payloads from one peer waiting for the handlers; over it, reading from that peer pauses.</summary>
    public long ReceiveQueueMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Token bucket per peer: sustained messages per second and the burst allowed. A peer over the limit is
    /// slowed down (its frames wait), never penalized or banned for speed alone.
    /// </summary>
    public double MessagesPerSecond { get; set; } = 1000;
    public double MessageBurst { get; set; } = 2000;

    /// <summary>Token bucket per peer: sustained bytes per second and the burst allowed (at least <see cref="MaxFrameSize"/>).</summary>
    public double BytesPerSecond { get; set; } = 8 * 1024 * 1024;
    public double ByteBurst { get; set; } = 16 * 1024 * 1024;

    /// <summary>A peer starts at this score; penalties lower it.</summary>
    public int InitialScore { get; set; } = 100;

    /// <summary>A score at or below this disconnects and bans the peer. Only evidence of abuse (invalid or malformed messages) costs score.</summary>
    public int BanThreshold { get; set; } = 0;

    /// <summary>Points a peer's score recovers per minute, up to <see cref="InitialScore"/>.</summary>
    public double ScoreRecoveryPerMinute { get; set; } = 5;

    public TimeSpan BanDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Also ban the offender's IP address (refused at accept, never dialed). Turn off when
    /// honest nodes share an address with a possibly faulty one (e.g. a local testnet on 127.0.0.1).
    /// </summary>
    public bool BanIpAddresses { get; set; } = true;

    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Learned (non-persistent, non-seed) addresses are forgotten after this many failed dials in a row.</summary>
    public int MaxDialFailures { get; set; } = 8;

    /// <summary>How often the service checks for peers to dial, idle peers and expired bans.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often to ask a peer for addresses while short of outbound peers. A peer asking more often than half this is penalized.</summary>
    public TimeSpan PeerExchangeInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxAddressBookSize { get; set; } = 1000;

    /// <summary>Addresses in one Peers message, sent or accepted.</summary>
    public int MaxPeersPerMessage { get; set; } = 32;

    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A peer from which nothing arrived for this long is disconnected.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public NetworkLogger? Log { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException($"network options: {message}");
        }
        Check(MaxInboundPeers >= 0, "MaxInboundPeers must be >= 0");
        Check(MaxOutboundPeers >= 0, "MaxOutboundPeers must be >= 0");
        Check(MaxPendingHandshakes > 0, "MaxPendingHandshakes must be > 0");
        Check(MaxFrameSize is >= 1024 and <= 64 * 1024 * 1024, "MaxFrameSize must be between 1 KiB and 64 MiB");
        Check(HandshakeTimeout > TimeSpan.Zero, "HandshakeTimeout must be positive");
        Check(DialTimeout > TimeSpan.Zero, "DialTimeout must be positive");
        Check(SendQueueCapacity > 0, "SendQueueCapacity must be > 0");
        Check(SendQueueMaxBytes >= MaxFrameSize, "SendQueueMaxBytes must be >= MaxFrameSize");
        Check(ReceiveQueueCapacity > 0, "ReceiveQueueCapacity must be > 0");
        Check(ReceiveQueueMaxBytes >= MaxFrameSize, "ReceiveQueueMaxBytes must be >= MaxFrameSize");
        Check(MessagesPerSecond > 0 && MessageBurst >= 1, "MessagesPerSecond must be > 0 and MessageBurst >= 1");
        Check(BytesPerSecond > 0 && ByteBurst >= MaxFrameSize, "BytesPerSecond must be > 0 and ByteBurst >= MaxFrameSize");
        Check(InitialScore > BanThreshold, "InitialScore must be above BanThreshold");
        Check(ScoreRecoveryPerMinute >= 0, "ScoreRecoveryPerMinute must be >= 0");
        Check(BanDuration > TimeSpan.Zero, "BanDuration must be positive");
        Check(ReconnectBaseDelay > TimeSpan.Zero && ReconnectMaxDelay >= ReconnectBaseDelay, "ReconnectBaseDelay must be positive and <= ReconnectMaxDelay");
        Check(MaxDialFailures > 0, "MaxDialFailures must be > 0");
        Check(MaintenanceInterval > TimeSpan.Zero, "MaintenanceInterval must be positive");
        Check(PeerExchangeInterval > TimeSpan.Zero, "PeerExchangeInterval must be positive");
        Check(MaxAddressBookSize > 0, "MaxAddressBookSize must be > 0");
        Check(MaxPeersPerMessage is > 0 and <= 1000, "MaxPeersPerMessage must be 1..1000");
        Check(PingInterval > TimeSpan.Zero && IdleTimeout > PingInterval, "PingInterval must be positive and below IdleTimeout");
        Check(TimeProvider is not null, "TimeProvider must be set");
        foreach (var peer in PersistentPeers) Check(PeerAddress.TryParse(peer, out _, out var e), $"PersistentPeers: {e}");
        foreach (var seed in Seeds) Check(PeerAddress.TryParse(seed, out _, out var e), $"Seeds: {e}");
    }
}
