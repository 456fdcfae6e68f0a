using System.Net;
using ExCraft.Core;

namespace ExCraft.Network.Peers;

internal enum AddressKind
{
    /// <summary>Configured: always redialed, never forgotten, not counted against the outbound limit.</summary>
    Persistent,
    /// <summary>Configured entry point: dialed when short of peers, never forgotten.</summary>
    Seed,
    /// <summary>Heard from a peer: dialed when short of peers, forgotten after repeated failures.</summary>
    Learned,
}

internal sealed class AddressEntry(PeerAddress address, AddressKind kind)
{
    public PeerAddress Address { get; } = address;
    public AddressKind Kind { get; set; } = kind;

    /// <summary>The configured id, or the id learned when a dial succeeded.</summary>
    public Address? NodeId { get; set; } = address.NodeId;

    /// <summary>A handshake with this node at this address succeeded at least once.</summary>
    public bool Verified { get; set; }

    public int Failures { get; set; }
    public DateTimeOffset NextAttempt { get; set; }

    /// <summary>A dial or connection through this entry is in progress.</summary>
    public bool Active { get; set; }

    public string Key => Address.EndPointText;
}

/// <summary>Known addresses keyed by "host:port". Not thread-safe: the service guards it with its lock.</summary>
internal sealed class AddressBook(int capacity)
{
    private readonly Dictionary<string, AddressEntry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _entries.Count;
    public bool IsFull => _entries.Count >= capacity;
    public IEnumerable<AddressEntry> Entries => _entries.Values;

    /// <summary>Adds or upgrades a configured entry (configured entries ignore the capacity).</summary>
    public AddressEntry AddConfigured(PeerAddress address, AddressKind kind)
    {
        if (_entries.TryGetValue(address.EndPointText, out var existing))
        {
            if (kind < existing.Kind) existing.Kind = kind;
            existing.NodeId ??= address.NodeId;
            return existing;
        }
        var entry = new AddressEntry(address, kind);
        _entries[entry.Key] = entry;
        return entry;
    }

    /// <summary>Adds an address heard from a peer, unless known (by endpoint or node id) or the book is full.</summary>
    public bool TryAddLearned(Address nodeId, IPEndPoint endPoint)
    {
        var address = PeerAddress.FromEndPoint(nodeId, endPoint);
        if (IsFull || _entries.ContainsKey(address.EndPointText)) return false;
        if (_entries.Values.Any(e => e.NodeId == nodeId)) return false;
        _entries[address.EndPointText] = new AddressEntry(address, AddressKind.Learned);
        return true;
    }

    public bool ContainsNode(Address nodeId) => _entries.Values.Any(e => e.NodeId == nodeId);

    public void Remove(AddressEntry entry) => _entries.Remove(entry.Key);
}
