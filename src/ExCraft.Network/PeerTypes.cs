using System.Net;
using ExCraft.Core;

namespace ExCraft.Network;

public enum PeerDirection
{
    /// <summary>The peer dialed us.</summary>
    Inbound,
    /// <summary>We dialed the peer.</summary>
    Outbound,
}

/// <summary>A snapshot of one connected peer.</summary>
/// <param name="NodeId">The authenticated node id (address of its static key).</param>
/// <param name="RemoteEndPoint">The connection's remote address.</param>
/// <param name="ListenEndPoint">Where the peer accepts connections, if known (the dialed address, or the remote IP with the port its Hello announced).</param>
/// <param name="SessionId">32 bytes from the handshake KDF, unique to this connection (0x-hex).</param>
public sealed record PeerInfo(
    Address NodeId,
    IPEndPoint RemoteEndPoint,
    PeerDirection Direction,
    int Score,
    DateTimeOffset ConnectedSince,
    IPEndPoint? ListenEndPoint,
    bool Persistent,
    string SessionId)
{
    public override string ToString() => $"{NodeId}@{RemoteEndPoint} ({Direction.ToString().ToLowerInvariant()})";
}

/// <summary>A connected peer as the application's message handlers see it.</summary>
public interface IPeer
{
    Address NodeId { get; }

    PeerInfo Info { get; }

    bool IsConnected { get; }

    /// <summary>Queues a message to this peer; false if it was dropped (queue full) or the peer is gone.</summary>
    bool Send(uint type, byte[] payload);

    /// <summary>Lowers the peer's score for an invalid or useless message; at or below the ban threshold the peer is disconnected and banned.</summary>
    void Penalize(string reason, int points);

    /// <summary>Closes the connection politely (a Disconnect message tells the peer why). Not a ban.</summary>
    void Disconnect(string reason);
}

/// <summary>Why a connected peer went away.</summary>
public sealed record PeerDisconnection(PeerInfo Peer, DisconnectReason Reason, string Message, bool ByRemote, bool Banned);

/// <summary>A connection that failed its handshake or admission.</summary>
/// <param name="NodeId">The peer's node id when it was authenticated before the refusal.</param>
/// <param name="ByRemote">The other side refused us (its reason is in <paramref name="Message"/>).</param>
/// <param name="Banned">We banned the peer for it.</param>
public sealed record ConnectionRejection(
    IPEndPoint RemoteEndPoint,
    PeerDirection Direction,
    Address? NodeId,
    DisconnectReason Reason,
    string Message,
    bool ByRemote,
    bool Banned,
    DateTimeOffset At);

/// <summary>A ban of a node id, an IP address, or both, until <paramref name="Until"/>.</summary>
public sealed record BanEntry(Address? NodeId, IPAddress? Address, DateTimeOffset Until, string Reason);

/// <summary>Handles one application message. Runs off the network threads; one peer's messages are handled one at a time, in arrival order.</summary>
public delegate ValueTask MessageHandler(IPeer peer, byte[] payload, CancellationToken cancellationToken);
