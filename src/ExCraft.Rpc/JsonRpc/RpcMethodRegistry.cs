using System.Text.Json.Nodes;

namespace ExCraft.Rpc.JsonRpc;

/// <summary>A method handler: parameters and the caller's connection in, a JSON result out.</summary>
public delegate JsonNode? RpcHandler(RpcParams parameters, RpcCallContext context);

/// <summary>Per-call context: the WebSocket session for subscription methods, null over HTTP.</summary>
public sealed record RpcCallContext(Subscriptions.WebSocketSession? Session);

/// <summary>The methods the server answers, by name.</summary>
public sealed class RpcMethodRegistry
{
    private readonly Dictionary<string, RpcHandler> _methods = new(StringComparer.Ordinal);

    public void Add(string name, RpcHandler handler) => _methods.Add(name, handler);

    public bool TryGet(string name, out RpcHandler handler) => _methods.TryGetValue(name, out handler!);

    public IEnumerable<string> Names => _methods.Keys.Order(StringComparer.Ordinal);
}
