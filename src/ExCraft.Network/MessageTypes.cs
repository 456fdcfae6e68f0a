namespace ExCraft.Network;

/// <summary>
/// Message type numbers carried in every frame (plaintext = RLP [type, payload]).
/// 0..15 belong to the network layer; the application's types start at 16. The network handles
/// <see cref="GetPeers"/> and <see cref="Peers"/> itself; payloads of the application's types
/// are opaque to it.
/// </summary>
public static class MessageTypes
{
    // Network layer (reserved).
    /// <summary>Handshake only: the signed identity, first encrypted frame in each direction.</summary>
    public const uint Hello = 0;
    /// <summary>Handshake only: the peer admitted us (second encrypted frame).</summary>
    public const uint HelloAccepted = 1;
    /// <summary>RLP [reason code, reason text]; the sender closes the connection after it.</summary>
    public const uint Disconnect = 2;
    /// <summary>Keep-alive, empty payload; sent when nothing else was sent for the ping interval.</summary>
    public const uint Ping = 3;
    /// <summary>Ask for known listen addresses; empty payload.</summary>
    public const uint GetPeers = 4;
    /// <summary>RLP list of [node id (20 bytes), IP (4 or 16 bytes), port].</summary>
    public const uint Peers = 5;

    public const uint FirstApplicationType = 16;

    // Application (opaque to the network).
    public const uint Transactions = 16;
    public const uint Proposal = 17;
    public const uint Vote = 18;
    public const uint BlockRequest = 19;
    public const uint BlockResponse = 20;
    public const uint Status = 21;
    public const uint Evidence = 22;
    /// <summary>One part of a proposed block; the Proposal message carries only the signed header and the part-set root.</summary>
    public const uint BlockPart = 23;

    public static bool IsApplicationType(uint type) => type >= FirstApplicationType;

    /// <summary>Consensus traffic is high priority: when a slow peer's queue is full it is disconnected rather than silently starved of votes.</summary>
    public static MessagePriority PriorityOf(uint type) => type switch
    {
        Proposal or BlockPart or Vote or Evidence or Status or Disconnect => MessagePriority.High,
        _ => MessagePriority.Normal,
    };

    public static string Name(uint type) => type switch
    {
        Hello => nameof(Hello),
        HelloAccepted => nameof(HelloAccepted),
        Disconnect => nameof(Disconnect),
        Ping => nameof(Ping),
        GetPeers => nameof(GetPeers),
        Peers => nameof(Peers),
        Transactions => nameof(Transactions),
        Proposal => nameof(Proposal),
        Vote => nameof(Vote),
        BlockRequest => nameof(BlockRequest),
        BlockResponse => nameof(BlockResponse),
        Status => nameof(Status),
        Evidence => nameof(Evidence),
        BlockPart => nameof(BlockPart),
        _ => $"type {type}",
    };
}

public enum MessagePriority
{
    /// <summary>Dropped when the peer's send queue is full.</summary>
    Normal,
    /// <summary>Served first; a full queue disconnects the (too slow) peer.</summary>
    High,
}
