namespace ExCraft.Rpc.JsonRpc;

/// <summary>An error returned to the caller as a JSON-RPC error object (docs/rpc.md lists the codes).</summary>
public sealed class RpcException(int code, string message, object? data = null) : Exception(message)
{
    public int Code { get; } = code;
    public object? ErrorData { get; } = data;
}

/// <summary>JSON-RPC 2.0 standard codes and ExCraft's own (-32000 and below).</summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int LimitExceeded = -32005;
    public const int TransactionRejected = -32010;
}
