using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine.Legs;

/// <summary>JSON-RPC 2.0 over HTTP to an ExCraft node (positional parameters), for the native leg.</summary>
public sealed class ExCraftRpc(Uri endpoint, HttpClient http)
{
    private int nextId;

    public Uri Endpoint { get; } = endpoint;

    public async Task<JsonNode?> CallAsync(string method, CancellationToken ct, params JsonNode?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref nextId), ["method"] = method, ["params"] = new JsonArray(parameters),
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(Endpoint, content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var answer = JsonNode.Parse(body) as JsonObject ?? throw new InvalidDataException($"{Endpoint} answered {method} with {body}");
        if (answer["error"] is JsonObject error)
            throw new ExCraftRpcException(method, error["code"]?.GetValue<int>() ?? 0, error["message"]?.GetValue<string>() ?? error.ToJsonString());
        var result = answer["result"];
        answer.Remove("result");
        return result;
    }
}

/// <summary>An error object from the node (the transaction or the parameters were refused).</summary>
public sealed class ExCraftRpcException(string method, int code, string message) : Exception($"{method}: {message} ({code})")
{
    public int Code { get; } = code;
}
