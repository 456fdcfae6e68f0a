using System.Net;
using System.Net.Sockets;
using ExCraft.Core;
using ExCraft.Network.Peers;
using ExCraft.Network.Protocol;
using ExCraft.Network.Transport;

namespace ExCraft.Network.Service;

/// <summary>
/// Getting a connection to a registered peer: accepting and dialing, the authenticated handshake,
/// admission (bans, duplicates, the inbound limit) and registration in the peer table, then running the
/// peer until it disconnects. Every refusal is reported the same way (log, event, ban where the failure
/// is evidence of abuse).
/// </summary>
internal sealed class PeerAdmission(NetworkService host, NetworkRuntime runtime, ITransport transport, PeerTable table, PeerBans bans, NetworkEvents events, Action kick)
{
    private readonly NetworkOptions _options = runtime.Options;
    private ITransportListener? _listener;
    private int _pendingInbound;

    public IPEndPoint? ListenEndPoint { get; private set; }

    /// <summary>Starts listening and accepting in the background.</summary>
    public void Listen(IPEndPoint endPoint)
    {
        _listener = transport.Listen(endPoint);
        ListenEndPoint = _listener.LocalEndPoint;
        runtime.Track(AcceptLoopAsync);
    }

    public async ValueTask StopListeningAsync()
    {
        if (_listener is not null) await _listener.DisposeAsync().ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync()
    {
        var ct = runtime.ShutdownToken;
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
                runtime.Log(NetworkLogLevel.Warning, $"accept failed: {e.Message}");
                try { await Task.Delay(100, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                continue;
            }

            var remote = connection.RemoteEndPoint;
            if (bans.IsBannedIp(remote.Address, out var ban))
            {
                Reject(remote, PeerDirection.Inbound, new HandshakeException(DisconnectReason.Banned, $"IP {remote.Address} is banned until {ban!.Until:u}: {ban.Reason}"));
                await connection.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            if (Interlocked.Increment(ref _pendingInbound) > _options.MaxPendingHandshakes)
            {
                Interlocked.Decrement(ref _pendingInbound);
                runtime.Log(NetworkLogLevel.Debug, $"inbound connection from {remote} closed: {_options.MaxPendingHandshakes} handshakes already pending");
                await connection.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            runtime.Track(() => HandleInboundAsync(connection));
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

        var persistent = table.IsPersistent(result.Remote.NodeId);
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
    public async Task<(ITransportConnection, HandshakeResult)> DialAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        ITransportConnection connection;
        using (var dial = CancellationTokenSource.CreateLinkedTokenSource(runtime.ShutdownToken, cancellationToken))
        {
            dial.CancelAfter(_options.DialTimeout);
            try
            {
                connection = await transport.ConnectAsync(address.Host, address.Port, dial.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!runtime.IsShuttingDown && !cancellationToken.IsCancellationRequested)
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
        if (bans.IsBannedIp(remote.Address, out var ban))
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(runtime.ShutdownToken, cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        HandshakeException failure;
        try
        {
            return await Handshake.RunAsync(
                connection.Stream,
                initiator: direction == PeerDirection.Outbound,
                runtime.Key,
                runtime.Identity,
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
        catch (OperationCanceledException) when (runtime.IsShuttingDown || cancellationToken.IsCancellationRequested)
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
            runtime.Log(NetworkLogLevel.Error, $"handshake with {connection.RemoteEndPoint} failed unexpectedly: {e}");
            failure = new HandshakeException(DisconnectReason.InternalError, $"handshake failed: {e.Message}");
        }
        Reject(connection.RemoteEndPoint, direction, failure);
        throw failure;
    }

    /// <summary>Admission of an authenticated node: bans, duplicates, inbound capacity.</summary>
    private (DisconnectReason Reason, string Message)? Admit(Address nodeId, PeerDirection direction)
    {
        if (bans.IsBanned(nodeId, out var ban))
            return (DisconnectReason.Banned, $"node {nodeId} is banned until {ban!.Until:u}: {ban.Reason}");
        lock (table.Sync)
        {
            if (runtime.IsShuttingDown) return (DisconnectReason.Shutdown, "node shutting down");
            if (table.Connected.TryGetValue(nodeId, out var existing))
            {
                if (!ShouldReplace(existing, direction)) return (DisconnectReason.Duplicate, $"already connected to {nodeId}");
            }
            else if (direction == PeerDirection.Inbound &&
                     table.Connected.Values.Count(p => p.Direction == PeerDirection.Inbound) >= _options.MaxInboundPeers &&
                     !table.IsPersistentUnlocked(nodeId))
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
        var existingInitiator = existing.Direction == PeerDirection.Outbound ? runtime.NodeId : existing.NodeId;
        var newInitiator = newDirection == PeerDirection.Outbound ? runtime.NodeId : existing.NodeId;
        if (existingInitiator != newInitiator) return newInitiator.CompareTo(existingInitiator) < 0;
        return newInitiator != runtime.NodeId;
    }

    /// <summary>Adds the peer to the table (replacing a duplicate it wins against) or refuses it with a Disconnect.</summary>
    public async Task<Peer> RegisterAsync(ITransportConnection connection, HandshakeResult result, PeerDirection direction, bool persistent)
    {
        var peer = new Peer(host, connection, result, direction, persistent, _options);
        Peer? replaced = null;
        (DisconnectReason Reason, string Message)? refusal = null;
        var requestPeers = false;
        lock (table.Sync)
        {
            if (runtime.IsShuttingDown) refusal = (DisconnectReason.Shutdown, "node shutting down");
            else if (bans.IsBanned(peer.NodeId, out var ban)) refusal = (DisconnectReason.Banned, $"node {peer.NodeId} is banned: {ban!.Reason}");
            else if (table.Connected.TryGetValue(peer.NodeId, out var existing))
            {
                if (ShouldReplace(existing, direction)) replaced = existing;
                else refusal = (DisconnectReason.Duplicate, $"already connected to {peer.NodeId}");
            }
            if (refusal is null)
            {
                table.Connected[peer.NodeId] = peer;
                peer.Predecessor = replaced?.DispatchCompletion;
                requestPeers = !table.Book.IsFull;
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
        runtime.Track(() => peer.DispatchCompletion);
        runtime.Log(NetworkLogLevel.Information, $"connected {direction.ToString().ToLowerInvariant()} peer {peer.NodeId} at {peer.RemoteEndPoint}{(persistent ? " (persistent)" : "")}");
        if (requestPeers) peer.RequestPeers();
        return peer;
    }

    /// <summary>Runs a registered peer until its connection ends, then takes it out of the table.</summary>
    public async Task RunRegisteredAsync(Peer peer)
    {
        try
        {
            await peer.RunAsync(runtime.ShutdownToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            runtime.Log(NetworkLogLevel.Error, $"peer {peer} failed: {e}");
        }
        finally
        {
            table.RemoveIfCurrent(peer);
            var level = peer.Reason is DisconnectReason.Shutdown or DisconnectReason.Requested or DisconnectReason.Duplicate
                ? NetworkLogLevel.Information
                : peer.Banned ? NetworkLogLevel.Warning : NetworkLogLevel.Information;
            runtime.Log(level, $"disconnected peer {peer}: {peer.ReasonText} ({peer.Reason}{(peer.ClosedByRemote ? ", by the peer" : "")}{(peer.Banned ? ", banned" : "")})");
            kick();
        }
    }

    /// <summary>Reports a refused connection: log, event, and a ban when the failure is evidence of abuse.</summary>
    private void Reject(IPEndPoint remote, PeerDirection direction, HandshakeException failure)
    {
        if (failure.Reason == DisconnectReason.Shutdown) return;
        var banned = failure.Ban && bans.BanOffender(failure.RemoteNodeId, remote.Address, $"{failure.Reason}: {failure.Message}") is not null;
        var level = failure.Ban ? NetworkLogLevel.Warning
            : failure.Reason is DisconnectReason.ChainIdMismatch or DisconnectReason.GenesisMismatch or DisconnectReason.ProtocolVersionMismatch
                or DisconnectReason.UnexpectedNodeId or DisconnectReason.Banned ? NetworkLogLevel.Warning
            : NetworkLogLevel.Information;
        runtime.Log(level, $"{direction.ToString().ToLowerInvariant()} connection {remote}{(failure.RemoteNodeId is { } id ? $" (node {id})" : "")} rejected: {failure.Message} ({failure.Reason})");
        events.PostRejected(new ConnectionRejection(remote, direction, failure.RemoteNodeId, failure.Reason, failure.Message, failure.ByRemote, banned, runtime.Time.GetUtcNow()));
    }
}
