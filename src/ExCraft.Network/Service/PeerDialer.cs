using System.Net;
using ExCraft.Network.Peers;
using ExCraft.Network.Protocol;

namespace ExCraft.Network.Service;

/// <summary>
/// Keeps the node connected: a maintenance pass (every <see cref="NetworkOptions.MaintenanceInterval"/>, or
/// at once when kicked) expires bans, closes idle peers, dials configured and learned addresses within the
/// outbound limit with exponential backoff, and asks a peer for addresses while short of peers.
/// </summary>
internal sealed class PeerDialer(NetworkRuntime runtime, PeerTable table, PeerBans bans, Func<PeerAdmission> admission)
{
    private readonly NetworkOptions _options = runtime.Options;
    private readonly SemaphoreSlim _kick = new(0);
    private DateTimeOffset _lastPeerExchange;

    public void Start() => runtime.Track(MaintenanceLoopAsync);

    /// <summary>Asks for a maintenance pass now (a peer left, an address was learned).</summary>
    public void Kick()
    {
        if (_kick.CurrentCount == 0) _kick.Release();
    }

    private async Task MaintenanceLoopAsync()
    {
        var ct = runtime.ShutdownToken;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Maintain();
            }
            catch (Exception e)
            {
                runtime.Log(NetworkLogLevel.Error, $"network maintenance failed: {e}");
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

    private void Maintain()
    {
        bans.Prune();
        var now = runtime.Time.GetUtcNow();
        var toDial = new List<AddressEntry>();
        List<Peer> idle;
        Peer? askForPeers = null;
        lock (table.Sync)
        {
            var peers = table.Connected;
            var book = table.Book;
            idle = [.. peers.Values.Where(p => p.IsIdle(_options.IdleTimeout))];
            var outbound = peers.Values.Count(p => p.Direction == PeerDirection.Outbound && !p.Persistent)
                + book.Entries.Count(e => e.Active && e.Kind != AddressKind.Persistent && !(e.NodeId is { } id && peers.ContainsKey(id)));
            foreach (var entry in book.Entries.OrderBy(e => e.Kind).ThenBy(_ => Random.Shared.Next()).ToList())
            {
                if (entry.Active || entry.NextAttempt > now) continue;
                if (entry.NodeId is { } id && (id == runtime.NodeId || peers.ContainsKey(id) || bans.IsBanned(id, out _))) continue;
                if (IPAddress.TryParse(entry.Address.Host, out var ip) && bans.IsBannedIp(ip, out _)) continue;
                if (entry.Kind != AddressKind.Persistent)
                {
                    if (outbound >= _options.MaxOutboundPeers) continue;
                    outbound++;
                }
                entry.Active = true;
                toDial.Add(entry);
            }
            if (peers.Count > 0 && outbound < _options.MaxOutboundPeers && !book.IsFull && now - _lastPeerExchange >= _options.PeerExchangeInterval)
            {
                var candidates = peers.Values.ToList();
                askForPeers = candidates[Random.Shared.Next(candidates.Count)];
                _lastPeerExchange = now;
            }
        }
        foreach (var peer in idle)
            peer.Close(DisconnectReason.Idle, $"nothing received for {_options.IdleTimeout.TotalSeconds:0.#} s", graceful: true);
        foreach (var entry in toDial)
            runtime.Track(() => DialEntryAsync(entry));
        askForPeers?.RequestPeers();
    }

    private async Task DialEntryAsync(AddressEntry entry)
    {
        var failed = true;
        try
        {
            var (connection, result) = await admission().DialAsync(entry.NodeId is { } id ? entry.Address with { NodeId = id } : entry.Address, CancellationToken.None).ConfigureAwait(false);
            lock (table.Sync)
            {
                entry.Failures = 0;
                entry.NodeId = result.Remote.NodeId;
                entry.Verified = true;
            }
            failed = false;
            var peer = await admission().RegisterAsync(connection, result, PeerDirection.Outbound, entry.Kind == AddressKind.Persistent).ConfigureAwait(false);
            await admission().RunRegisteredAsync(peer).ConfigureAwait(false);
        }
        catch (HandshakeException e)
        {
            if (e.Reason != DisconnectReason.Shutdown)
                runtime.Log(NetworkLogLevel.Debug, $"dial {entry.Address} ({entry.Kind.ToString().ToLowerInvariant()}) failed: {e.Message}");
            lock (table.Sync)
            {
                if (failed) entry.Failures++;
                if (e.Reason == DisconnectReason.SelfConnection) entry.NodeId = runtime.NodeId; // never dial ourselves again
                var hopeless = e.Reason is DisconnectReason.UnexpectedNodeId or DisconnectReason.ChainIdMismatch
                    or DisconnectReason.GenesisMismatch or DisconnectReason.ProtocolVersionMismatch or DisconnectReason.SelfConnection;
                if (entry.Kind == AddressKind.Learned && (hopeless || entry.Failures >= _options.MaxDialFailures)) table.Book.Remove(entry);
            }
        }
        finally
        {
            lock (table.Sync)
            {
                entry.Active = false;
                entry.NextAttempt = runtime.Time.GetUtcNow() + Backoff(entry.Failures);
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
}
