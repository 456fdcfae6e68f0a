namespace ExCraft.Network;

public enum NetworkLogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}

/// <summary>
/// Where the network writes its log lines; the node adapts it to its ILogger. Kept as a delegate
/// so this library depends on nothing but Core.
/// </summary>
public delegate void NetworkLogger(NetworkLogLevel level, string message);
