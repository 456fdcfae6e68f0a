namespace ExCraft.Rpc.JsonRpc;

/// <summary>Bounds on what one client can ask of the server.</summary>
public sealed record RpcLimits(
    int MaxRequestBytes = 8 * 1024 * 1024,
    int MaxBatchSize = 2_000,
    int MaxWebSocketConnections = 256,
    int MaxSubscriptionsPerConnection = 64,
    int MaxQueuedNotifications = 4_096);
