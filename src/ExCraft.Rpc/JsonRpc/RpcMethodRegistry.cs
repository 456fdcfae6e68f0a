using System.Text.Json.Nodes;

namespace ExCraft.Rpc.JsonRpc;

/// <summary>A method handler: parameters and the caller's connection in, a JSON result out.</summary>
public delegate JsonNode? RpcHandler(RpcParams parameters, RpcCallContext context);

/// <summary>Per-call context: the WebSocket session for subscription methods, null over HTTP.</summary>
public sealed record RpcCallContext(Subscriptions.WebSocketSession? Session);

/// <summary>
/// The methods the server answers, by name, each with the most positional parameters it takes:
/// a call with more is refused with -32602 before the handler runs (an extra parameter is a
/// caller's mistake, never silently ignored).
/// </summary>
public sealed class RpcMethodRegistry
{
    private readonly Dictionary<string, RpcHandler> _methods = new(StringComparer.Ordinal);

    public void Add(string name, int maxParameters, RpcHandler handler)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxParameters);
        _methods.Add(name, (parameters, context) =>
        {
            if (parameters.Count > maxParameters)
                throw new RpcException(RpcErrorCodes.InvalidParams, $"{name}: takes at most {maxParameters} parameter{(maxParameters == 1 ? "" : "s")}, got {parameters.Count}");
            return handler(parameters, context);
        });
    }

    public bool TryGet(string name, out RpcHandler handler) => _methods.TryGetValue(name, out handler!);

    public IEnumerable<string> Names => _methods.Keys.Order(StringComparer.Ordinal);
}
