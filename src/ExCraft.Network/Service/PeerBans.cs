using System.Net;
using ExCraft.Core;
using ExCraft.Network.Peers;

namespace ExCraft.Network.Service;

/// <summary>
/// Banning: who is banned until when, and carrying a ban out (log, event, and the node's IP too where
/// <see cref="NetworkOptions.BanIpAddresses"/> allows). Deciding to ban is elsewhere: a peer is banned only
/// for evidence of abuse (a malformed or undecryptable frame, a protocol violation, a score worn down by
/// invalid messages), never for speed; see docs/network.md.
/// </summary>
internal sealed class PeerBans(NetworkRuntime runtime, NetworkEvents events)
{
    private readonly BanList _list = new(runtime.Time);

    public bool IsBanned(Address nodeId, out BanEntry? entry) => _list.IsBanned(nodeId, out entry);

    /// <summary>True if the IP is banned and IP bans are on.</summary>
    public bool IsBannedIp(IPAddress ip, out BanEntry? entry)
    {
        entry = null;
        return runtime.Options.BanIpAddresses && _list.IsBanned(ip, out entry);
    }

    public bool IsBanned(IPAddress ip) => _list.IsBanned(ip, out _);

    public IReadOnlyList<BanEntry> Snapshot() => _list.Snapshot();

    public bool Unban(Address nodeId) => _list.Unban(nodeId);

    public bool Unban(IPAddress ip) => _list.Unban(ip);

    public void Prune() => _list.Prune();

    /// <summary>Bans a node id only (an operator's or the application's decision).</summary>
    public BanEntry BanNode(Address nodeId, string reason, TimeSpan duration)
    {
        var entry = _list.Ban(nodeId, null, duration, reason);
        runtime.Log(NetworkLogLevel.Warning, $"banned node {nodeId} until {entry.Until:u}: {reason}");
        events.PostBanned(entry);
        return entry;
    }

    /// <summary>Bans an offender's node id and (if allowed) IP for the configured duration; null if there is nothing to ban.</summary>
    public BanEntry? BanOffender(Address? nodeId, IPAddress? ip, string reason)
    {
        if (!runtime.Options.BanIpAddresses) ip = null;
        if (nodeId is null && ip is null) return null;
        var entry = _list.Ban(nodeId, ip, runtime.Options.BanDuration, reason);
        var who = string.Join(" and ", new[] { nodeId is { } id ? $"node {id}" : null, ip is not null ? $"IP {ip}" : null }.OfType<string>());
        runtime.Log(NetworkLogLevel.Warning, $"banned {who} until {entry.Until:u}: {reason}");
        events.PostBanned(entry);
        return entry;
    }
}
