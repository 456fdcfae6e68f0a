using ExCraft.Core;

namespace ExCraft.Network;

/// <summary>A connection refused during the handshake, by us or (<see cref="ByRemote"/>) by the other side.</summary>
public sealed class HandshakeException(DisconnectReason reason, string message, bool ban = false, Address? remoteNodeId = null, bool byRemote = false)
    : Exception(message)
{
    public DisconnectReason Reason { get; } = reason;

    /// <summary>The other side misbehaved (garbage, bad signature, failed authentication): ban it.</summary>
    public bool Ban { get; } = ban;

    /// <summary>Set only once the peer's Hello was authenticated (an unauthenticated claim is never reported as an id).</summary>
    public Address? RemoteNodeId { get; } = remoteNodeId;

    /// <summary>The other side sent a Disconnect refusing us; <see cref="Exception.Message"/> holds its reason.</summary>
    public bool ByRemote { get; } = byRemote;
}
