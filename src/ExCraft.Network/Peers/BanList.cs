using System.Net;
using ExCraft.Core;

namespace ExCraft.Network.Peers;

/// <summary>Banned node ids and IP addresses with their expiry. Thread-safe.</summary>
internal sealed class BanList(TimeProvider time)
{
    private readonly Dictionary<Address, BanEntry> _ids = [];
    private readonly Dictionary<IPAddress, BanEntry> _ips = [];
    private readonly Lock _lock = new();

    public BanEntry Ban(Address? nodeId, IPAddress? ip, TimeSpan duration, string reason)
    {
        var entry = new BanEntry(nodeId, ip, time.GetUtcNow() + duration, reason);
        lock (_lock)
        {
            if (nodeId is { } id) _ids[id] = entry;
            if (ip is not null) _ips[Normalize(ip)] = entry;
        }
        return entry;
    }

    public bool IsBanned(Address nodeId, out BanEntry? entry)
    {
        lock (_lock) return Active(_ids, nodeId, out entry);
    }

    public bool IsBanned(IPAddress ip, out BanEntry? entry)
    {
        lock (_lock) return Active(_ips, Normalize(ip), out entry);
    }

    public bool Unban(Address nodeId)
    {
        lock (_lock) return _ids.Remove(nodeId);
    }

    public bool Unban(IPAddress ip)
    {
        lock (_lock) return _ips.Remove(Normalize(ip));
    }

    public List<BanEntry> Snapshot()
    {
        Prune();
        lock (_lock) return [.. _ids.Values.Concat(_ips.Values).Distinct()];
    }

    public void Prune()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var key in _ids.Where(p => p.Value.Until <= now).Select(p => p.Key).ToList()) _ids.Remove(key);
            foreach (var key in _ips.Where(p => p.Value.Until <= now).Select(p => p.Key).ToList()) _ips.Remove(key);
        }
    }

    private bool Active<TKey>(Dictionary<TKey, BanEntry> map, TKey key, out BanEntry? entry) where TKey : notnull
    {
        if (map.TryGetValue(key, out entry) && entry.Until > time.GetUtcNow()) return true;
        entry = null;
        return false;
    }

    private static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
