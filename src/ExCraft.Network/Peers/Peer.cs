using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Network.Protocol;
using ExCraft.Network.Transport;

namespace ExCraft.Network.Peers;

/// <summary>
/// One authenticated connection. Three loops: the read loop (decrypt, rate-limit, decode,
/// queue for the application), the write loop (drain the send queue, ping when idle) and the
/// dispatch loop (the application's handlers, one message at a time, off the network threads).
/// Whatever the peer sends, failures end in <see cref="Close"/>: they never escape this class.
/// </summary>
internal sealed class Peer : IPeer
{
    private static readonly byte[] PingEnvelope = Envelope.Encode(MessageTypes.Ping, []);

    private readonly NetworkService _host;
    private readonly ITransportConnection _connection;
    private readonly SecureChannel _channel;
    private readonly NetworkOptions _options;
    private readonly TimeProvider _time;
    private readonly SendQueue _sendQueue;
    private readonly Channel<(uint Type, byte[] Payload)> _inbox;
    private readonly RateThrottle _throttle;
    private readonly PeerScore _score;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _dispatchDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closing;
    private long _lastReceived;
    private long _lastGetPeersServed = long.MinValue;
    private long _lastGetPeersSent = long.MinValue;
    private int _awaitingPeers;
    private long _droppedMessages;
    private long _inboxBytes;
    private bool _readPaused;

    public Peer(NetworkService host, ITransportConnection connection, HandshakeResult handshake, PeerDirection direction, bool persistent, NetworkOptions options)
    {
        _host = host;
        _connection = connection;
        _channel = handshake.Channel;
        _options = options;
        _time = options.TimeProvider;
        NodeId = handshake.Remote.NodeId;
        StaticKey = handshake.Remote.StaticKey;
        RemoteEndPoint = connection.RemoteEndPoint;
        Direction = direction;
        Persistent = persistent;
        SessionId = Hex.Encode(handshake.SessionId);
        ListenEndPoint = direction == PeerDirection.Outbound
            ? RemoteEndPoint
            : handshake.Remote.ListenPort > 0 ? new IPEndPoint(RemoteEndPoint.Address, handshake.Remote.ListenPort) : null;
        ConnectedSince = _time.GetUtcNow();
        _lastReceived = _time.GetTimestamp();
        _sendQueue = new SendQueue(options.SendQueueCapacity, options.SendQueueMaxBytes);
        _inbox = Channel.CreateBounded<(uint, byte[])>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _throttle = new RateThrottle(options);
        _score = new PeerScore(options.InitialScore, options.ScoreRecoveryPerMinute, _time);
    }

    public Address NodeId { get; }
    public PublicKey StaticKey { get; }
    public IPEndPoint RemoteEndPoint { get; }
    public IPEndPoint? ListenEndPoint { get; }
    public PeerDirection Direction { get; }
    public bool Persistent { get; }
    public string SessionId { get; }
    public DateTimeOffset ConnectedSince { get; }

    public int Score => _score.Value;
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);
    public bool IsConnected => Volatile.Read(ref _closing) == 0;

    /// <summary>The previous connection to the same node (replaced as a duplicate): its handlers finish before ours start.</summary>
    public Task? Predecessor { get; set; }

    /// <summary>Completes after PeerDisconnected was raised for this connection.</summary>
    public Task DispatchCompletion => _dispatchDone.Task;

    public DisconnectReason Reason { get; private set; }
    public string ReasonText { get; private set; } = "";
    public bool ClosedByRemote { get; private set; }
    public bool Banned { get; private set; }
    private bool _graceful;

    public PeerInfo Info => new(NodeId, RemoteEndPoint, Direction, Score, ConnectedSince, ListenEndPoint, Persistent, SessionId);

    public override string ToString() => $"{NodeId}@{RemoteEndPoint}";

    /// <summary>Runs until the connection ends; returns once reading and writing have stopped (handlers may still be running).</summary>
    public async Task RunAsync(CancellationToken shutdown)
    {
        var dispatch = Task.Run(DispatchLoopAsync, CancellationToken.None);
        var read = Task.Run(ReadLoopAsync, CancellationToken.None);
        var write = Task.Run(WriteLoopAsync, CancellationToken.None);
        using (shutdown.Register(() => Close(DisconnectReason.Shutdown, "node shutting down", graceful: true)))
        {
            await _closeRequested.Task.ConfigureAwait(false);
        }
        if (_graceful)
        {
            // Give the write loop a moment to send the Disconnect message (it skips the backlog). It
            // ends as soon as that is written; the bound only matters for a peer that stopped reading,
            // and is generous because a loaded machine may not schedule the loop for a while.
            await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None)).ConfigureAwait(false);
        }
        _cts.Cancel();
        await _connection.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(read, write).ConfigureAwait(false); // the loops catch everything themselves
        _channel.Dispose();
        _inbox.Writer.TryComplete();
        _ = dispatch;
    }

    /// <summary>Ends the connection (once; later calls are ignored). With <paramref name="ban"/> the node id and IP are banned first.</summary>
    public void Close(DisconnectReason reason, string text, bool graceful = false, bool ban = false, bool byRemote = false)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        Reason = reason;
        ReasonText = text;
        ClosedByRemote = byRemote;
        Banned = ban;
        _graceful = graceful;
        if (ban) _host.BanPeer(this, reason, text);
        _sendQueue.Close(graceful ? Envelope.Encode(MessageTypes.Disconnect, DisconnectMessage.Encode(reason, text)) : null);
        _closeRequested.TrySetResult();
    }

    public bool Send(uint type, byte[] payload)
    {
        _host.ValidateOutgoing(type, payload);
        return TrySend(Envelope.Encode(type, payload), MessageTypes.PriorityOf(type));
    }

    /// <summary>Queues an encoded envelope (shared between peers by Broadcast).</summary>
    internal bool TrySend(byte[] envelope, MessagePriority priority)
    {
        switch (_sendQueue.TryEnqueue(envelope, priority))
        {
            case EnqueueResult.Enqueued:
                return true;
            case EnqueueResult.Full when priority == MessagePriority.High:
                Close(DisconnectReason.SendQueueFull, "send queue full: the peer does not keep up with consensus traffic");
                return false;
            case EnqueueResult.Full:
                if (Interlocked.Increment(ref _droppedMessages) % 100 == 1)
                    _host.Log(NetworkLogLevel.Warning, $"peer {this}: send queue full, dropping messages ({DroppedMessages} so far)");
                return false;
            default:
                return false;
        }
    }

    /// <summary>Evidence of abuse (an invalid or malformed message) costs score; at the threshold the peer is banned. Never used for speed.</summary>
    public void Penalize(string reason, int points)
    {
        if (points <= 0 || !IsConnected) return;
        var score = _score.Penalize(points);
        _host.Log(NetworkLogLevel.Warning, $"peer {this} penalized {points} points: {reason} (score {score})");
        if (score <= _options.BanThreshold)
            Close(DisconnectReason.ScoreTooLow, $"score {score} fell to the ban threshold {_options.BanThreshold}; last penalty: {reason}", graceful: true, ban: true);
    }

    public void Disconnect(string reason) => Close(DisconnectReason.Requested, reason, graceful: true);

    /// <summary>Nothing received for <paramref name="limit"/>; never true while we ourselves stopped reading (slow handlers).</summary>
    internal bool IsIdle(TimeSpan limit) =>
        !Volatile.Read(ref _readPaused) && _time.GetElapsedTime(Interlocked.Read(ref _lastReceived)) > limit;

    /// <summary>
    /// Starts a peer exchange request (at most one per <see cref="NetworkOptions.PeerExchangeInterval"/>
    /// per peer); Peers replies are only accepted while one is outstanding. Requests are counted, not
    /// flagged: a reply delayed past the next request (a busy or throttled link) is still solicited.
    /// </summary>
    internal void RequestPeers()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastGetPeersSent);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < _options.PeerExchangeInterval) return;
        if (Volatile.Read(ref _awaitingPeers) >= MaxOutstandingPeerRequests) return;
        Interlocked.Exchange(ref _lastGetPeersSent, now);
        Interlocked.Increment(ref _awaitingPeers);
        if (!TrySend(Envelope.Encode(MessageTypes.GetPeers, []), MessagePriority.Normal)) Interlocked.Decrement(ref _awaitingPeers);
    }

    /// <summary>Takes one outstanding request for a Peers reply; false if none is outstanding.</summary>
    internal bool TakePeersRequest()
    {
        while (true)
        {
            var outstanding = Volatile.Read(ref _awaitingPeers);
            if (outstanding == 0) return false;
            if (Interlocked.CompareExchange(ref _awaitingPeers, outstanding - 1, outstanding) == outstanding) return true;
        }
    }

    private const int MaxOutstandingPeerRequests = 3;

    /// <summary>True (and records the time) if serving a GetPeers now respects the minimum interval.</summary>
    internal bool TryServeGetPeers(TimeSpan minimumInterval)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastGetPeersServed);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < minimumInterval) return false;
        Interlocked.Exchange(ref _lastGetPeersServed, now);
        return true;
    }

    private async Task ReadLoopAsync()
    {
        var ct = _cts.Token;
        try
        {
            while (IsConnected)
            {
                var plaintext = await _channel.ReadAsync(ct).ConfigureAwait(false);
                if (plaintext is null)
                {
                    Close(DisconnectReason.ConnectionLost, "connection closed by the peer", byRemote: true);
                    return;
                }
                Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());

                var wait = _throttle.Charge(plaintext.Length + SecureChannel.TagSize + SecureChannel.LengthPrefixSize);
                if (wait > TimeSpan.Zero)
                {
                    // Over the rate limit: slow down, keep the message. Speed alone is no evidence of abuse.
                    if (_throttle.Throttled % 1000 == 1)
                        _host.Log(NetworkLogLevel.Information, $"peer {this} sends faster than the rate limit; reading from it is slowed down ({_throttle.Throttled} frames delayed so far)");
                    Volatile.Write(ref _readPaused, true);
                    await Task.Delay(wait, _time, ct).ConfigureAwait(false);
                    Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());
                    Volatile.Write(ref _readPaused, false);
                }

                var (type, payload) = Envelope.Decode(plaintext);
                switch (type)
                {
                    case MessageTypes.Ping:
                        break;
                    case MessageTypes.Disconnect:
                        var (reason, text) = DisconnectMessage.Decode(payload);
                        Close(reason, $"peer disconnected: {text}", byRemote: true);
                        return;
                    case MessageTypes.GetPeers:
                    case MessageTypes.Peers:
                        _host.HandlePeerExchange(this, type, payload);
                        break;
                    case MessageTypes.Hello:
                    case MessageTypes.HelloAccepted:
                        Close(DisconnectReason.ProtocolViolation, $"{MessageTypes.Name(type)} after the handshake", ban: true);
                        return;
                    case < MessageTypes.FirstApplicationType:
                        _host.Log(NetworkLogLevel.Debug, $"peer {this}: ignoring unknown network message type {type}");
                        break;
                    default:
                        // Back-pressure: while the handlers are behind by too many bytes, stop reading
                        // (the peer's TCP window fills up and its sends slow down).
                        Volatile.Write(ref _readPaused, true);
                        while (Interlocked.Read(ref _inboxBytes) > 0 &&
                               Interlocked.Read(ref _inboxBytes) + payload.Length > _options.ReceiveQueueMaxBytes)
                        {
                            await Task.Delay(10, ct).ConfigureAwait(false);
                        }
                        Interlocked.Add(ref _inboxBytes, payload.Length);
                        await _inbox.Writer.WriteAsync((type, payload), ct).ConfigureAwait(false);
                        Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());
                        Volatile.Write(ref _readPaused, false);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (FrameException e)
        {
            Close(e.Reason, e.Message, ban: e.Reason != DisconnectReason.NonceExhausted);
        }
        catch (RlpException e)
        {
            Close(DisconnectReason.MalformedMessage, $"malformed message: {e.Message}", ban: true);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
            Close(DisconnectReason.ConnectionLost, e.Message);
        }
        catch (Exception e)
        {
            _host.Log(NetworkLogLevel.Error, $"peer {this}: read loop failed: {e}");
            Close(DisconnectReason.InternalError, e.Message);
        }
    }

    private async Task WriteLoopAsync()
    {
        var ct = _cts.Token;
        try
        {
            while (true)
            {
                var (result, envelope) = await _sendQueue.DequeueAsync(_options.PingInterval, ct).ConfigureAwait(false);
                if (result == DequeueResult.Closed) return;
                await _channel.WriteAsync(result == DequeueResult.Idle ? PingEnvelope : envelope!, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (FrameException e)
        {
            Close(e.Reason, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Close(DisconnectReason.ConnectionLost, e.Message);
        }
        catch (Exception e)
        {
            _host.Log(NetworkLogLevel.Error, $"peer {this}: write loop failed: {e}");
            Close(DisconnectReason.InternalError, e.Message);
        }
    }

    /// <summary>Connected event, then each message in arrival order, then the Disconnected event.</summary>
    private async Task DispatchLoopAsync()
    {
        try
        {
            if (Predecessor is { } previous)
                await Task.WhenAny(previous, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
            _host.RaisePeerConnected(Info);
            await foreach (var (type, payload) in _inbox.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    if (!_host.IsShuttingDown) await _host.DispatchAsync(this, type, payload).ConfigureAwait(false); // else drain without delivering
                }
                finally
                {
                    Interlocked.Add(ref _inboxBytes, -payload.Length);
                }
            }
            _host.RaisePeerDisconnected(new PeerDisconnection(Info, Reason, ReasonText, ClosedByRemote, Banned));
        }
        catch (Exception e)
        {
            _host.Log(NetworkLogLevel.Error, $"peer {this}: dispatch loop failed: {e}");
        }
        finally
        {
            _dispatchDone.TrySetResult();
        }
    }
}
