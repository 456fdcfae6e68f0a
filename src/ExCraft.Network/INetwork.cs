using System.Net;
using ExCraft.Core;

namespace ExCraft.Network;

/// <summary>
/// What the node uses of the P2P layer. Messages are (type, opaque payload) pairs; see
/// <see cref="MessageTypes"/>. Handlers run off the network threads, in arrival order per peer;
/// events are raised the same way.
/// </summary>
public interface INetwork : IAsyncDisposable
{
    /// <summary>This node's id (address of its node key).</summary>
    Address NodeId { get; }

    /// <summary>The bound listen endpoint once started (null when not listening).</summary>
    IPEndPoint? ListenEndPoint { get; }

    /// <summary>The largest payload that fits one frame.</summary>
    int MaxPayloadSize { get; }

    /// <summary>Starts listening, dialing configured peers and maintenance.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    IReadOnlyList<PeerInfo> Peers { get; }

    /// <summary>Queues the message to every connected peer but <paramref name="except"/>; returns how many accepted it.</summary>
    int Broadcast(uint type, byte[] payload, Address? except = null);

    /// <summary>Queues the message to one peer; false if not connected or its queue is full.</summary>
    bool Send(Address peerId, uint type, byte[] payload);

    /// <summary>Registers a handler for an application message type; dispose the result to unregister.</summary>
    IDisposable OnMessage(uint type, MessageHandler handler);

    /// <summary>Lowers a peer's score (invalid payload, useless data); false if not connected.</summary>
    bool Penalize(Address peerId, string reason, int points);

    /// <summary>Adds an address to dial ("persistent" ones are kept connected).</summary>
    void AddPeer(PeerAddress address, bool persistent);

    event Action<PeerInfo>? PeerConnected;
    event Action<PeerDisconnection>? PeerDisconnected;
    event Action<ConnectionRejection>? ConnectionRejected;
    event Action<BanEntry>? PeerBanned;
}
