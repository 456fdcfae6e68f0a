namespace ExCraft.Network;

/// <summary>Why a connection was refused or closed. The numeric value is the code sent in a Disconnect message.</summary>
public enum DisconnectReason : uint
{
    None = 0,
    Shutdown = 1,
    Requested = 2,
    ProtocolViolation = 3,
    DecryptionFailed = 4,
    FrameTooLarge = 5,
    MalformedMessage = 6,
    BadSignature = 7,
    UnexpectedNodeId = 8,
    ChainIdMismatch = 9,
    GenesisMismatch = 10,
    ProtocolVersionMismatch = 11,
    HandshakeVersionMismatch = 12,
    SelfConnection = 13,
    Duplicate = 14,
    TooManyPeers = 15,
    Banned = 16,
    Timeout = 17,
    ConnectionLost = 18,
    /// <summary>Kept for the wire code only: speed alone never closes a connection (the peer is slowed down instead).</summary>
    RateLimited = 19,
    ScoreTooLow = 20,
    SendQueueFull = 21,
    Idle = 22,
    NonceExhausted = 23,
    InternalError = 24,
}
