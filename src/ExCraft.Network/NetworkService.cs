using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Network.Peers;
using ExCraft.Network.Protocol;
using ExCraft.Network.Transport;

namespace ExCraft.Network;

/// <summary>
/// The P2P service: accepts and dials connections, authenticates and encrypts them, keeps the
/// configured peers connected, exchanges addresses, rate-limits and scores peers, and delivers
/// application messages to registered handlers. A misbehaving peer only ever affects its own
/// connection.
/// </summary>
public sealed class NetworkService : INetwork
{
    private readonly NodeKey _key;
    private readonly NetworkIdentity _identity;
    private readonly NetworkOptions _options;
    private readonly ITransport _transport;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<Address, Peer> _peers = [];
    private readonly AddressBook _book;
    private readonly BanList _bans;
    private readonly Lock _handlersLock = new();
    private Dictionary<uint, MessageHandler[]> _handlers = [];
    private readonly Channel<Action> _events = Channel.CreateBounded<Action>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();
    private readonly SemaphoreSlim _kick = new(0);
    private ITransportListener? _listener;
    private Task? _eventLoop;
    private int _pendingInbound;
    private int _started;
    private int _disposed;
    private DateTimeOffset _lastPeerExchange;

    public NetworkService(NodeKey nodeKey, NetworkIdentity identity, NetworkOptions options, ITransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _key = nodeKey;
        _identity = identity;
        _options = options;
        _time = options.TimeProvider;
        _transport = transport ?? new TcpTransport(options.DialLocalAddress);
        _book = new AddressBook(options.MaxAddressBookSize);
        _bans = new BanList(_time);
    }

    public Address NodeId => _key.NodeId;
    public NetworkIdentity Identity => _identity;
    public IPEndPoint? ListenEndPoint { get; private set; }
    public int MaxPayloadSize => _options.MaxFrameSize - SecureChannel.TagSize - Envelope.MaxOverhead;

    public event Action<PeerInfo>? PeerConnected;
    public event Action<PeerDisconnection>? PeerDisconnected;
    public event Action<ConnectionRejection>? ConnectionRejected;
    public event Action<BanEntry>? PeerBanned;

    internal bool IsShuttingDown => _shutdown.IsCancellationRequested;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("the network service is already started");
        cancellationToken.ThrowIfCancellationRequested();

        lock (_lock)
        {
            foreach (var text in _options.PersistentPeers) _book.AddConfigured(PeerAddress.Parse(text), AddressKind.Persistent);
            foreach (var text in _options.Seeds) _book.AddConfigured(PeerAddress.Parse(text), AddressKind.Seed);
        }
        _eventLoop = Task.Run(EventLoopAsync, CancellationToken.None);
        if (_options.ListenEndPoint is { } endPoint)
        {
            _listener = _transport.Listen(endPoint);
            ListenEndPoint = _listener.LocalEndPoint;
            Track(AcceptLoopAsync);
        }
        Log(NetworkLogLevel.Information, $"network started: node {NodeId}, {_identity}, listening on {ListenEndPoint?.ToString() ?? "(not listening)"}");
        Track(MaintenanceLoopAsync);
        return Task.CompletedTask;
    }

    // ---- Application API ----------------------------------------------------------------------

    public IReadOnlyList<PeerInfo> Peers
    {
        get
        {
            lock (_lock) return [.. _peers.Values.OrderBy(p => p.ConnectedSince).Select(p => p.Info)];
        }
    }

    public int Broadcast(uint type, byte[] payload, Address? except = null)
    {
        ValidateOutgoing(type, payload);
        var envelope = Envelope.Encode(type, payload);
        var priority = MessageTypes.PriorityOf(type);
        List<Peer> targets;
        lock (_lock) targets = [.. _peers.Values.Where(p => p.NodeId != except)];
        var sent = 0;
        foreach (var peer in targets)
        {
            if (peer.TrySend(envelope, priority)) sent++;
        }
        return sent;
    }

    public bool Send(Address peerId, uint type, byte[] payload)
    {
        ValidateOutgoing(type, payload);
        Peer? peer;
        lock (_lock) _peers.TryGetValue(peerId, out peer);
        return peer is not null && peer.TrySend(Envelope.Encode(type, payload), MessageTypes.PriorityOf(type));
    }

    public IDisposable OnMessage(uint type, MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!MessageTypes.IsApplicationType(type))
            throw new ArgumentOutOfRangeException(nameof(type), $"message type {type} is reserved for the network layer (application types start at {MessageTypes.FirstApplicationType})");
        lock (_handlersLock)
        {
            var copy = new Dictionary<uint, MessageHandler[]>(_handlers);
            copy[type] = copy.TryGetValue(type, out var existing) ? [.. existing, handler] : [handler];
            _handlers = copy;
        }
        return new Registration(() =>
        {
            lock (_handlersLock)
            {
                if (!_handlers.TryGetValue(type, out var existing)) return;
                var remaining = existing.Where(h => h != handler).ToArray();
                var copy = new Dictionary<uint, MessageHandler[]>(_handlers);
                if (remaining.Length == 0) copy.Remove(type); else copy[type] = remaining;
                _handlers = copy;
            }
        });
    }

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

    public bool Penalize(Address peerId, string reason, int points)
    {
        Peer? peer;
        lock (_lock) _peers.TryGetValue(peerId, out peer);
        if (peer is null) return false;
        peer.Penalize(reason, points);
        return true;
    }

    /// <summary>Closes the connection to a peer politely; false if not connected.</summary>
    public bool Disconnect(Address peerId, string reason)
    {
        Peer? peer;
        lock (_lock) _peers.TryGetValue(peerId, out peer);
        peer?.Disconnect(reason);
        return peer is not null;
    }

    public void AddPeer(PeerAddress address, bool persistent)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock) _book.AddConfigured(address, persistent ? AddressKind.Persistent : AddressKind.Seed);
        Kick();
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
        var (connection, result) = await DialAsync(address, cancellationToken).ConfigureAwait(false);
        var peer = await RegisterAsync(connection, result, PeerDirection.Outbound, persistent: false).ConfigureAwait(false);
        Track(() => RunRegisteredAsync(peer));
        return peer.Info;
    }

    public IReadOnlyList<BanEntry> Bans => _bans.Snapshot();

    public bool IsBanned(Address nodeId) => _bans.IsBanned(nodeId, out _);

    public bool IsBanned(IPAddress address) => _bans.IsBanned(address, out _);

    /// <summary>Bans a node id (disconnecting it if connected).</summary>
    public void Ban(Address nodeId, string reason, TimeSpan? duration = null)
    {
        var entry = _bans.Ban(nodeId, null, duration ?? _options.BanDuration, reason);
        Log(NetworkLogLevel.Warning, $"banned node {nodeId} until {entry.Until:u}: {reason}");
        PostEvent(() => PeerBanned?.Invoke(entry));
        Peer? peer;
        lock (_lock) _peers.TryGetValue(nodeId, out peer);
        peer?.Close(DisconnectReason.Banned, reason, graceful: true);
    }

    public bool Unban(Address nodeId) => _bans.Unban(nodeId);

    public bool Unban(IPAddress address) => _bans.Unban(address);

    /// <summary>Addresses in the address book (configured and learned).</summary>
    public IReadOnlyList<PeerAddress> KnownAddresses
    {
        get
        {
            lock (_lock) return [.. _book.Entries.Select(e => e.NodeId is { } id ? e.Address with { NodeId = id } : e.Address)];
        }
    }

    // ---- Connections --------------------------------------------------------------------------

    private async Task AcceptLoopAsync()
    {
        var ct = _shutdown.Token;
        while (!ct.IsCancellationRequested)
        {
            ITransportConnection connection;
            try
            {
                connection = await _listener!.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log(NetworkLogLevel.Warning, $"accept failed: {e.Message}");
                try { await Task.Delay(100, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                continue;
            }

            var remote = connection.RemoteEndPoint;
            if (_options.BanIpAddresses && _bans.IsBanned(remote.Address, out var ban))
            {
                Reject(remote, PeerDirection.Inbound, new HandshakeException(DisconnectReason.Banned, $"IP {remote.Address} is banned until {ban!.Until:u}: {ban.Reason}"));
                await connection.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            if (Interlocked.Increment(ref _pendingInbound) > _options.MaxPendingHandshakes)
            {
                Interlocked.Decrement(ref _pendingInbound);
                Log(NetworkLogLevel.Debug, $"inbound connection from {remote} closed: {_options.MaxPendingHandshakes} handshakes already pending");
                await connection.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            Track(() => HandleInboundAsync(connection));
        }
    }

    private async Task HandleInboundAsync(ITransportConnection connection)
    {
        HandshakeResult result;
        try
        {
            result = await HandshakeAsync(connection, PeerDirection.Inbound, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (HandshakeException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _pendingInbound);
        }

        bool persistent;
        lock (_lock) persistent = _book.Entries.Any(e => e.Kind == AddressKind.Persistent && e.NodeId == result.Remote.NodeId);
        Peer peer;
        try
        {
            peer = await RegisterAsync(connection, result, PeerDirection.Inbound, persistent).ConfigureAwait(false);
        }
        catch (HandshakeException)
        {
            return;
        }
        await RunRegisteredAsync(peer).ConfigureAwait(false);
    }

    /// <summary>Connects and handshakes; on failure the connection is closed and a <see cref="HandshakeException"/> thrown.</summary>
    private async Task<(ITransportConnection, HandshakeResult)> DialAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        ITransportConnection connection;
        using (var dial = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, cancellationToken))
        {
            dial.CancelAfter(_options.DialTimeout);
            try
            {
                connection = await _transport.ConnectAsync(address.Host, address.Port, dial.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new HandshakeException(DisconnectReason.Timeout, $"dialing {address} timed out after {_options.DialTimeout.TotalSeconds:0.#} s");
            }
            catch (OperationCanceledException)
            {
                throw new HandshakeException(DisconnectReason.Shutdown, $"dialing {address} was cancelled");
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                throw new HandshakeException(DisconnectReason.ConnectionLost, $"dialing {address} failed: {e.Message}");
            }
        }

        var remote = connection.RemoteEndPoint;
        if (_options.BanIpAddresses && _bans.IsBanned(remote.Address, out var ban))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new HandshakeException(DisconnectReason.Banned, $"{address} resolves to banned IP {remote.Address} ({ban!.Reason})");
        }
        try
        {
            var result = await HandshakeAsync(connection, PeerDirection.Outbound, address.NodeId, cancellationToken).ConfigureAwait(false);
            return (connection, result);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the handshake with a timeout; every failure is reported (log, event, ban) and thrown as <see cref="HandshakeException"/>.</summary>
    private async Task<HandshakeResult> HandshakeAsync(ITransportConnection connection, PeerDirection direction, Address? expectedNodeId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        HandshakeException failure;
        try
        {
            return await Handshake.RunAsync(
                connection.Stream,
                initiator: direction == PeerDirection.Outbound,
                _key,
                _identity,
                ListenEndPoint?.Port ?? 0,
                expectedNodeId,
                hello => Admit(hello.NodeId, direction),
                _options.MaxFrameSize,
                timeout.Token).ConfigureAwait(false);
        }
        catch (HandshakeException e)
        {
            failure = e;
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            throw new HandshakeException(DisconnectReason.Shutdown, "handshake cancelled");
        }
        catch (OperationCanceledException)
        {
            failure = new HandshakeException(DisconnectReason.Timeout, $"handshake not completed within {_options.HandshakeTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            failure = new HandshakeException(DisconnectReason.ConnectionLost, $"connection failed during the handshake: {e.Message}");
        }
        catch (Exception e)
        {
            Log(NetworkLogLevel.Error, $"handshake with {connection.RemoteEndPoint} failed unexpectedly: {e}");
            failure = new HandshakeException(DisconnectReason.InternalError, $"handshake failed: {e.Message}");
        }
        Reject(connection.RemoteEndPoint, direction, failure);
        throw failure;
    }

    /// <summary>Admission of an authenticated node: bans, duplicates, inbound capacity.</summary>
    private (DisconnectReason Reason, string Message)? Admit(Address nodeId, PeerDirection direction)
    {
        if (_bans.IsBanned(nodeId, out var ban))
            return (DisconnectReason.Banned, $"node {nodeId} is banned until {ban!.Until:u}: {ban.Reason}");
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested) return (DisconnectReason.Shutdown, "node shutting down");
            if (_peers.TryGetValue(nodeId, out var existing))
            {
                if (!ShouldReplace(existing, direction)) return (DisconnectReason.Duplicate, $"already connected to {nodeId}");
            }
            else if (direction == PeerDirection.Inbound &&
                     _peers.Values.Count(p => p.Direction == PeerDirection.Inbound) >= _options.MaxInboundPeers &&
                     !_book.Entries.Any(e => e.Kind == AddressKind.Persistent && e.NodeId == nodeId))
            {
                return (DisconnectReason.TooManyPeers, $"inbound peer limit ({_options.MaxInboundPeers}) reached");
            }
        }
        return null;
    }

    /// <summary>
    /// Two connections to one node (typically both dialed at once): both sides keep the one
    /// initiated by the smaller node id, so they agree without talking. If the same side
    /// initiated both, a reconnecting remote wins (our old connection is probably dead), while a
    /// second dial of ours loses.
    /// </summary>
    private bool ShouldReplace(Peer existing, PeerDirection newDirection)
    {
        var existingInitiator = existing.Direction == PeerDirection.Outbound ? NodeId : existing.NodeId;
        var newInitiator = newDirection == PeerDirection.Outbound ? NodeId : existing.NodeId;
        if (existingInitiator != newInitiator) return newInitiator.CompareTo(existingInitiator) < 0;
        return newInitiator != NodeId;
    }

    /// <summary>Adds the peer to the table (replacing a duplicate it wins against) or refuses it with a Disconnect.</summary>
    private async Task<Peer> RegisterAsync(ITransportConnection connection, HandshakeResult result, PeerDirection direction, bool persistent)
    {
        var peer = new Peer(this, connection, result, direction, persistent, _options);
        Peer? replaced = null;
        (DisconnectReason Reason, string Message)? refusal = null;
        var requestPeers = false;
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested) refusal = (DisconnectReason.Shutdown, "node shutting down");
            else if (_bans.IsBanned(peer.NodeId, out var ban)) refusal = (DisconnectReason.Banned, $"node {peer.NodeId} is banned: {ban!.Reason}");
            else if (_peers.TryGetValue(peer.NodeId, out var existing))
            {
                if (ShouldReplace(existing, direction)) replaced = existing;
                else refusal = (DisconnectReason.Duplicate, $"already connected to {peer.NodeId}");
            }
            if (refusal is null)
            {
                _peers[peer.NodeId] = peer;
                peer.Predecessor = replaced?.DispatchCompletion;
                requestPeers = !_book.IsFull;
            }
        }
        if (refusal is { } r)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await result.Channel.WriteAsync(Envelope.Encode(MessageTypes.Disconnect, DisconnectMessage.Encode(r.Reason, r.Message)), cts.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // best effort
            }
            result.Channel.Dispose();
            await connection.DisposeAsync().ConfigureAwait(false);
            var failure = new HandshakeException(r.Reason, r.Message, remoteNodeId: peer.NodeId);
            Reject(connection.RemoteEndPoint, direction, failure);
            throw failure;
        }

        replaced?.Close(DisconnectReason.Duplicate, "replaced by a newer connection to the same node", graceful: true);
        Track(() => peer.DispatchCompletion);
        Log(NetworkLogLevel.Information, $"connected {direction.ToString().ToLowerInvariant()} peer {peer.NodeId} at {peer.RemoteEndPoint}{(persistent ? " (persistent)" : "")}");
        if (requestPeers) peer.RequestPeers();
        return peer;
    }

    private async Task RunRegisteredAsync(Peer peer)
    {
        try
        {
            await peer.RunAsync(_shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log(NetworkLogLevel.Error, $"peer {peer} failed: {e}");
        }
        finally
        {
            lock (_lock)
            {
                if (_peers.TryGetValue(peer.NodeId, out var current) && current == peer) _peers.Remove(peer.NodeId);
            }
            var level = peer.Reason is DisconnectReason.Shutdown or DisconnectReason.Requested or DisconnectReason.Duplicate
                ? NetworkLogLevel.Information
                : peer.Banned ? NetworkLogLevel.Warning : NetworkLogLevel.Information;
            Log(level, $"disconnected peer {peer}: {peer.ReasonText} ({peer.Reason}{(peer.ClosedByRemote ? ", by the peer" : "")}{(peer.Banned ? ", banned" : "")})");
            Kick();
        }
    }

    // ---- Maintenance: dialing, idle peers, peer exchange --------------------------------------

    private async Task MaintenanceLoopAsync()
    {
        var ct = _shutdown.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Maintain();
            }
            catch (Exception e)
            {
                Log(NetworkLogLevel.Error, $"network maintenance failed: {e}");
            }
            try
            {
                await _kick.WaitAsync(_options.MaintenanceInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Kick()
    {
        if (_kick.CurrentCount == 0) _kick.Release();
    }

    private void Maintain()
    {
        _bans.Prune();
        var now = _time.GetUtcNow();
        var toDial = new List<AddressEntry>();
        List<Peer> idle;
        Peer? askForPeers = null;
        lock (_lock)
        {
            idle = [.. _peers.Values.Where(p => p.IsIdle(_options.IdleTimeout))];
            var outbound = _peers.Values.Count(p => p.Direction == PeerDirection.Outbound && !p.Persistent)
                + _book.Entries.Count(e => e.Active && e.Kind != AddressKind.Persistent && !(e.NodeId is { } id && _peers.ContainsKey(id)));
            foreach (var entry in _book.Entries.OrderBy(e => e.Kind).ThenBy(_ => Random.Shared.Next()).ToList())
            {
                if (entry.Active || entry.NextAttempt > now) continue;
                if (entry.NodeId is { } id && (id == NodeId || _peers.ContainsKey(id) || _bans.IsBanned(id, out _))) continue;
                if (_options.BanIpAddresses && IPAddress.TryParse(entry.Address.Host, out var ip) && _bans.IsBanned(ip, out _)) continue;
                if (entry.Kind != AddressKind.Persistent)
                {
                    if (outbound >= _options.MaxOutboundPeers) continue;
                    outbound++;
                }
                entry.Active = true;
                toDial.Add(entry);
            }
            if (_peers.Count > 0 && outbound < _options.MaxOutboundPeers && !_book.IsFull && now - _lastPeerExchange >= _options.PeerExchangeInterval)
            {
                var candidates = _peers.Values.ToList();
                askForPeers = candidates[Random.Shared.Next(candidates.Count)];
                _lastPeerExchange = now;
            }
        }
        foreach (var peer in idle)
            peer.Close(DisconnectReason.Idle, $"nothing received for {_options.IdleTimeout.TotalSeconds:0.#} s", graceful: true);
        foreach (var entry in toDial)
            Track(() => DialEntryAsync(entry));
        askForPeers?.RequestPeers();
    }

    private async Task DialEntryAsync(AddressEntry entry)
    {
        var failed = true;
        try
        {
            var (connection, result) = await DialAsync(entry.NodeId is { } id ? entry.Address with { NodeId = id } : entry.Address, CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                entry.Failures = 0;
                entry.NodeId = result.Remote.NodeId;
                entry.Verified = true;
            }
            failed = false;
            var peer = await RegisterAsync(connection, result, PeerDirection.Outbound, entry.Kind == AddressKind.Persistent).ConfigureAwait(false);
            await RunRegisteredAsync(peer).ConfigureAwait(false);
        }
        catch (HandshakeException e)
        {
            if (e.Reason != DisconnectReason.Shutdown)
                Log(NetworkLogLevel.Debug, $"dial {entry.Address} ({entry.Kind.ToString().ToLowerInvariant()}) failed: {e.Message}");
            lock (_lock)
            {
                if (failed) entry.Failures++;
                if (e.Reason == DisconnectReason.SelfConnection) entry.NodeId = NodeId; // never dial ourselves again
                var hopeless = e.Reason is DisconnectReason.UnexpectedNodeId or DisconnectReason.ChainIdMismatch
                    or DisconnectReason.GenesisMismatch or DisconnectReason.ProtocolVersionMismatch or DisconnectReason.SelfConnection;
                if (entry.Kind == AddressKind.Learned && (hopeless || entry.Failures >= _options.MaxDialFailures)) _book.Remove(entry);
            }
        }
        finally
        {
            lock (_lock)
            {
                entry.Active = false;
                entry.NextAttempt = _time.GetUtcNow() + Backoff(entry.Failures);
            }
        }
    }

    /// <summary>base * 2^failures, capped, with ±20% jitter so restarted nodes do not redial in lockstep.</summary>
    private TimeSpan Backoff(int failures)
    {
        var baseMs = _options.ReconnectBaseDelay.TotalMilliseconds;
        var delay = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, baseMs * Math.Pow(2, Math.Min(failures, 30)));
        return TimeSpan.FromMilliseconds(delay * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    internal void HandlePeerExchange(Peer peer, uint type, byte[] payload)
    {
        if (type == MessageTypes.GetPeers)
        {
            if (payload.Length != 0)
            {
                peer.Penalize("GetPeers with a payload", 10);
                return;
            }
            if (!peer.TryServeGetPeers(_options.PeerExchangeInterval / 2))
            {
                // Not answered, not penalized: asking too often is speed, not abuse (an honest node may
                // be configured with a shorter interval), and an unanswered request costs us nothing.
                Log(NetworkLogLevel.Debug, $"GetPeers from {peer} ignored: asked again within {(_options.PeerExchangeInterval / 2).TotalSeconds:0.#} s");
                return;
            }
            List<(Address, IPEndPoint)> known;
            lock (_lock)
            {
                var connected = _peers.Values
                    .Where(p => p != peer && p.ListenEndPoint is not null)
                    .Select(p => (p.NodeId, EndPoint: p.ListenEndPoint!));
                var verified = _book.Entries
                    .Where(e => e.Verified && e.NodeId is { } id && id != peer.NodeId && id != NodeId && !_peers.ContainsKey(id) && IPAddress.TryParse(e.Address.Host, out _))
                    .Select(e => (NodeId: e.NodeId!.Value, EndPoint: new IPEndPoint(IPAddress.Parse(e.Address.Host), e.Address.Port)));
                known = [.. connected.Concat(verified)
                    .DistinctBy(p => p.NodeId)
                    .OrderBy(_ => Random.Shared.Next())
                    .Take(_options.MaxPeersPerMessage)];
            }
            peer.TrySend(Envelope.Encode(MessageTypes.Peers, PeersMessage.Encode(known)), MessagePriority.Normal);
            return;
        }

        if (!peer.TakePeersRequest())
        {
            peer.Penalize("unsolicited Peers message", 5);
            return;
        }
        List<(Address NodeId, IPEndPoint EndPoint)> addresses;
        try
        {
            addresses = PeersMessage.Decode(payload, _options.MaxPeersPerMessage);
        }
        catch (RlpException e)
        {
            peer.Penalize($"malformed Peers message: {e.Message}", 20);
            return;
        }
        var added = 0;
        lock (_lock)
        {
            foreach (var (id, endPoint) in addresses)
            {
                if (id == NodeId || id == peer.NodeId || !IsDialable(endPoint) || _bans.IsBanned(id, out _)) continue;
                if (_book.TryAddLearned(id, endPoint)) added++;
            }
        }
        if (added > 0)
        {
            Log(NetworkLogLevel.Debug, $"learned {added} address(es) from {peer}");
            Kick();
        }
    }

    private static bool IsDialable(IPEndPoint endPoint)
    {
        var ip = endPoint.Address;
        if (endPoint.Port == 0 || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast)) return false;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6) return !ip.IsIPv6Multicast;
        var first = ip.GetAddressBytes()[0];
        return first is not (0 or >= 224);
    }

    // ---- Bans, rejections, events, dispatch -----------------------------------------------------

    internal void BanPeer(Peer peer, DisconnectReason reason, string text) =>
        BanAddresses(peer.NodeId, peer.RemoteEndPoint.Address, $"{reason}: {text}");

    private BanEntry? BanAddresses(Address? nodeId, IPAddress? ip, string reason)
    {
        if (!_options.BanIpAddresses) ip = null;
        if (nodeId is null && ip is null) return null;
        var entry = _bans.Ban(nodeId, ip, _options.BanDuration, reason);
        var who = string.Join(" and ", new[] { nodeId is { } id ? $"node {id}" : null, ip is not null ? $"IP {ip}" : null }.OfType<string>());
        Log(NetworkLogLevel.Warning, $"banned {who} until {entry.Until:u}: {reason}");
        PostEvent(() => PeerBanned?.Invoke(entry));
        return entry;
    }

    private void Reject(IPEndPoint remote, PeerDirection direction, HandshakeException failure)
    {
        if (failure.Reason == DisconnectReason.Shutdown) return;
        var banned = failure.Ban && BanAddresses(failure.RemoteNodeId, remote.Address, $"{failure.Reason}: {failure.Message}") is not null;
        var level = failure.Ban ? NetworkLogLevel.Warning
            : failure.Reason is DisconnectReason.ChainIdMismatch or DisconnectReason.GenesisMismatch or DisconnectReason.ProtocolVersionMismatch
                or DisconnectReason.UnexpectedNodeId or DisconnectReason.Banned ? NetworkLogLevel.Warning
            : NetworkLogLevel.Information;
        Log(level, $"{direction.ToString().ToLowerInvariant()} connection {remote}{(failure.RemoteNodeId is { } id ? $" (node {id})" : "")} rejected: {failure.Message} ({failure.Reason})");
        var rejection = new ConnectionRejection(remote, direction, failure.RemoteNodeId, failure.Reason, failure.Message, failure.ByRemote, banned, _time.GetUtcNow());
        PostEvent(() => ConnectionRejected?.Invoke(rejection));
    }

    internal void RaisePeerConnected(PeerInfo info) => InvokeHandlers(PeerConnected, info, nameof(PeerConnected));

    internal void RaisePeerDisconnected(PeerDisconnection disconnection) => InvokeHandlers(PeerDisconnected, disconnection, nameof(PeerDisconnected));

    private void InvokeHandlers<T>(Action<T>? handlers, T argument, string name)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                handler(argument);
            }
            catch (Exception e)
            {
                Log(NetworkLogLevel.Error, $"{name} handler threw: {e}");
            }
        }
    }

    private void PostEvent(Action raise) => _events.Writer.TryWrite(raise);

    private async Task EventLoopAsync()
    {
        await foreach (var raise in _events.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                raise();
            }
            catch (Exception e)
            {
                Log(NetworkLogLevel.Error, $"network event handler threw: {e}");
            }
        }
    }

    internal async ValueTask DispatchAsync(Peer peer, uint type, byte[] payload)
    {
        MessageHandler[]? handlers;
        lock (_handlersLock) _handlers.TryGetValue(type, out handlers);
        if (handlers is null)
        {
            Log(NetworkLogLevel.Debug, $"no handler for {MessageTypes.Name(type)} from {peer}; ignored");
            return;
        }
        foreach (var handler in handlers)
        {
            try
            {
                await handler(peer, payload, _shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log(NetworkLogLevel.Error, $"handler for {MessageTypes.Name(type)} from {peer} threw: {e}");
            }
        }
    }

    internal void ValidateOutgoing(uint type, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!MessageTypes.IsApplicationType(type))
            throw new ArgumentOutOfRangeException(nameof(type), $"message type {type} is reserved for the network layer");
        if (payload.Length > MaxPayloadSize)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the maximum of {MaxPayloadSize}", nameof(payload));
    }

    internal void Log(NetworkLogLevel level, string message)
    {
        try
        {
            _options.Log?.Invoke(level, message);
        }
        catch
        {
            // A failing logger must not take the network down.
        }
    }

    private void Track(Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_shutdown.IsCancellationRequested)
            {
                Log(NetworkLogLevel.Error, $"network task failed: {e}");
            }
            catch (OperationCanceledException)
            {
            }
        });
        _tasks[task] = 0;
        task.ContinueWith(t => _tasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Stops listening and dialing, says goodbye to every peer and waits (bounded) for all work to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _shutdown.Cancel();
        if (_listener is not null) await _listener.DisposeAsync().ConfigureAwait(false);
        var deadline = Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
        while (!_tasks.IsEmpty)
        {
            var all = Task.WhenAll(_tasks.Keys);
            if (await Task.WhenAny(all, deadline).ConfigureAwait(false) == deadline)
            {
                Log(NetworkLogLevel.Warning, $"network shutdown: {_tasks.Count} task(s) still running after 5 s (a message handler may be stuck)");
                break;
            }
        }
        _events.Writer.TryComplete();
        if (_eventLoop is not null) await Task.WhenAny(_eventLoop, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
        Log(NetworkLogLevel.Information, "network stopped");
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
