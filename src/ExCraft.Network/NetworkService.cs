using System.Net;
using ExCraft.Core;
using ExCraft.Network.Peers;
using ExCraft.Network.Protocol;
using ExCraft.Network.Service;
using ExCraft.Network.Transport;

namespace ExCraft.Network;

/// <summary>
/// The P2P service: the application's view of the network. It composes the parts that do the work, one
/// job each: <see cref="PeerAdmission"/> (accept, dial, handshake, admit, register), <see cref="PeerDialer"/>
/// (maintenance: redials with backoff, idle peers, asking for addresses), <see cref="PeerExchange"/>
/// (GetPeers and Peers), <see cref="PeerBans"/> (who is banned and carrying bans out),
/// <see cref="MessageHandlerRegistry"/> and <see cref="NetworkEvents"/> (delivering messages and events).
/// A misbehaving peer only ever affects its own connection.
/// </summary>
public sealed class NetworkService : INetwork
{
    private readonly NetworkRuntime _runtime;
    private readonly PeerTable _table;
    private readonly NetworkEvents _events;
    private readonly PeerBans _bans;
    private readonly MessageHandlerRegistry _handlers;
    private readonly PeerAdmission _admission;
    private readonly PeerDialer _dialer;
    private readonly PeerExchange _exchange;
    private int _started;
    private int _disposed;

    public NetworkService(NodeKey nodeKey, NetworkIdentity identity, NetworkOptions options, ITransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _runtime = new NetworkRuntime(nodeKey, identity, options);
        _table = new PeerTable(options);
        _events = new NetworkEvents(_runtime);
        _bans = new PeerBans(_runtime, _events);
        _handlers = new MessageHandlerRegistry(_runtime);
        _dialer = new PeerDialer(_runtime, _table, _bans, () => _admission!);
        _admission = new PeerAdmission(this, _runtime, transport ?? new TcpTransport(options.DialLocalAddress), _table, _bans, _events, _dialer.Kick);
        _exchange = new PeerExchange(_runtime, _table, _bans, _dialer.Kick);
    }

    public Address NodeId => _runtime.NodeId;
    public NetworkIdentity Identity => _runtime.Identity;
    public IPEndPoint? ListenEndPoint => _admission.ListenEndPoint;
    public int MaxPayloadSize => _runtime.Options.MaxFrameSize - SecureChannel.TagSize - Envelope.MaxOverhead;

    public event Action<PeerInfo>? PeerConnected
    {
        add => _events.PeerConnected += value;
        remove => _events.PeerConnected -= value;
    }

    public event Action<PeerDisconnection>? PeerDisconnected
    {
        add => _events.PeerDisconnected += value;
        remove => _events.PeerDisconnected -= value;
    }

    public event Action<ConnectionRejection>? ConnectionRejected
    {
        add => _events.ConnectionRejected += value;
        remove => _events.ConnectionRejected -= value;
    }

    public event Action<BanEntry>? PeerBanned
    {
        add => _events.PeerBanned += value;
        remove => _events.PeerBanned -= value;
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("the network service is already started");
        cancellationToken.ThrowIfCancellationRequested();

        foreach (var text in _runtime.Options.PersistentPeers) _table.AddConfigured(PeerAddress.Parse(text), AddressKind.Persistent);
        foreach (var text in _runtime.Options.Seeds) _table.AddConfigured(PeerAddress.Parse(text), AddressKind.Seed);
        _events.Start();
        if (_runtime.Options.ListenEndPoint is { } endPoint) _admission.Listen(endPoint);
        _runtime.Log(NetworkLogLevel.Information, $"network started: node {NodeId}, {Identity}, listening on {ListenEndPoint?.ToString() ?? "(not listening)"}");
        _dialer.Start();
        return Task.CompletedTask;
    }

    // ---- Application API ----------------------------------------------------------------------

    public IReadOnlyList<PeerInfo> Peers => _table.Infos();

    public int Broadcast(uint type, byte[] payload, Address? except = null)
    {
        ValidateOutgoing(type, payload);
        var envelope = Envelope.Encode(type, payload);
        var priority = MessageTypes.PriorityOf(type);
        var sent = 0;
        foreach (var peer in _table.All(except))
        {
            if (peer.TrySend(envelope, priority)) sent++;
        }
        return sent;
    }

    public bool Send(Address peerId, uint type, byte[] payload)
    {
        ValidateOutgoing(type, payload);
        var peer = _table.Find(peerId);
        return peer is not null && peer.TrySend(Envelope.Encode(type, payload), MessageTypes.PriorityOf(type));
    }

    public IDisposable OnMessage(uint type, MessageHandler handler) => _handlers.Add(type, handler);

    /// <summary>Synchronous convenience overload of <see cref="OnMessage(uint, MessageHandler)"/>.</summary>
    public IDisposable OnMessage(uint type, Action<IPeer, byte[]> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnMessage(type, (peer, payload, _) =>
        {
            handler(peer, payload);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Lowers a peer's score for evidence of abuse (an invalid or malformed message); at the ban threshold
    /// it is disconnected and banned. Never call it for speed: the rate limit slows a fast peer down itself.
    /// </summary>
    public bool Penalize(Address peerId, string reason, int points)
    {
        var peer = _table.Find(peerId);
        if (peer is null) return false;
        peer.Penalize(reason, points);
        return true;
    }

    /// <summary>Closes the connection to a peer politely; false if not connected.</summary>
    public bool Disconnect(Address peerId, string reason)
    {
        var peer = _table.Find(peerId);
        peer?.Disconnect(reason);
        return peer is not null;
    }

    public void AddPeer(PeerAddress address, bool persistent)
    {
        ArgumentNullException.ThrowIfNull(address);
        _table.AddConfigured(address, persistent ? AddressKind.Persistent : AddressKind.Seed);
        _dialer.Kick();
    }

    /// <summary>
    /// Dials <paramref name="address"/> now and returns the peer once the handshake succeeded;
    /// throws <see cref="HandshakeException"/> saying why it did not (refused, unreachable,
    /// another node answering). The connection is not redialed when it ends.
    /// </summary>
    public async Task<PeerInfo> ConnectAsync(PeerAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Volatile.Read(ref _started) == 0) throw new InvalidOperationException("start the network service first");
        var (connection, result) = await _admission.DialAsync(address, cancellationToken).ConfigureAwait(false);
        var peer = await _admission.RegisterAsync(connection, result, PeerDirection.Outbound, persistent: false).ConfigureAwait(false);
        _runtime.Track(() => _admission.RunRegisteredAsync(peer));
        return peer.Info;
    }

    public IReadOnlyList<BanEntry> Bans => _bans.Snapshot();

    public bool IsBanned(Address nodeId) => _bans.IsBanned(nodeId, out _);

    public bool IsBanned(IPAddress address) => _bans.IsBanned(address);

    /// <summary>Bans a node id (disconnecting it if connected).</summary>
    public void Ban(Address nodeId, string reason, TimeSpan? duration = null)
    {
        _bans.BanNode(nodeId, reason, duration ?? _runtime.Options.BanDuration);
        _table.Find(nodeId)?.Close(DisconnectReason.Banned, reason, graceful: true);
    }

    public bool Unban(Address nodeId) => _bans.Unban(nodeId);

    public bool Unban(IPAddress address) => _bans.Unban(address);

    /// <summary>Addresses in the address book (configured and learned).</summary>
    public IReadOnlyList<PeerAddress> KnownAddresses => _table.KnownAddresses();

    // ---- What a peer's loops call back into ---------------------------------------------------

    internal bool IsShuttingDown => _runtime.IsShuttingDown;

    internal void BanPeer(Peer peer, DisconnectReason reason, string text) =>
        _bans.BanOffender(peer.NodeId, peer.RemoteEndPoint.Address, $"{reason}: {text}");

    internal void HandlePeerExchange(Peer peer, uint type, byte[] payload) => _exchange.Handle(peer, type, payload);

    internal ValueTask DispatchAsync(Peer peer, uint type, byte[] payload) => _handlers.DispatchAsync(peer, type, payload);

    internal void RaisePeerConnected(PeerInfo info) => _events.RaisePeerConnected(info);

    internal void RaisePeerDisconnected(PeerDisconnection disconnection) => _events.RaisePeerDisconnected(disconnection);

    internal void Log(NetworkLogLevel level, string message) => _runtime.Log(level, message);

    internal void ValidateOutgoing(uint type, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!MessageTypes.IsApplicationType(type))
            throw new ArgumentOutOfRangeException(nameof(type), $"message type {type} is reserved for the network layer");
        if (payload.Length > MaxPayloadSize)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the maximum of {MaxPayloadSize}", nameof(payload));
    }

    /// <summary>Stops listening and dialing, says goodbye to every peer and waits (bounded) for all work to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _runtime.SignalShutdown();
        await _admission.StopListeningAsync().ConfigureAwait(false);
        await _runtime.WaitForTasksAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _events.StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        _runtime.Log(NetworkLogLevel.Information, "network stopped");
    }
}
