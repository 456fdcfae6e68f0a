using ExCraft.Core;
using ExCraft.Network.Peers;

namespace ExCraft.Network.Service;

/// <summary>
/// The connected peers and the address book. One lock guards both, because dialing and admission decide
/// on the two together (is this configured node already connected? how many outbound slots are left?).
/// Compound decisions take <see cref="Sync"/>; the helpers take it themselves.
/// </summary>
internal sealed class PeerTable(NetworkOptions options)
{
    public Lock Sync { get; } = new();

    /// <summary>Connected peers by node id; only under <see cref="Sync"/>.</summary>
    public Dictionary<Address, Peer> Connected { get; } = [];

    /// <summary>Known addresses; only under <see cref="Sync"/>.</summary>
    public AddressBook Book { get; } = new(options.MaxAddressBookSize);

    public Peer? Find(Address nodeId)
    {
        lock (Sync) return Connected.GetValueOrDefault(nodeId);
    }

    public List<Peer> All(Address? except = null)
    {
        lock (Sync) return [.. Connected.Values.Where(p => p.NodeId != except)];
    }

    public List<PeerInfo> Infos()
    {
        lock (Sync) return [.. Connected.Values.OrderBy(p => p.ConnectedSince).Select(p => p.Info)];
    }

    /// <summary>True if <paramref name="nodeId"/> is configured as a persistent peer; call under <see cref="Sync"/>.</summary>
    public bool IsPersistentUnlocked(Address nodeId) => Book.Entries.Any(e => e.Kind == AddressKind.Persistent && e.NodeId == nodeId);

    public bool IsPersistent(Address nodeId)
    {
        lock (Sync) return IsPersistentUnlocked(nodeId);
    }

    public void AddConfigured(PeerAddress address, AddressKind kind)
    {
        lock (Sync) Book.AddConfigured(address, kind);
    }

    public List<PeerAddress> KnownAddresses()
    {
        lock (Sync) return [.. Book.Entries.Select(e => e.NodeId is { } id ? e.Address with { NodeId = id } : e.Address)];
    }

    /// <summary>Removes the peer unless a newer connection to the same node replaced it already.</summary>
    public void RemoveIfCurrent(Peer peer)
    {
        lock (Sync)
        {
            if (Connected.TryGetValue(peer.NodeId, out var current) && current == peer) Connected.Remove(peer.NodeId);
        }
    }
}
