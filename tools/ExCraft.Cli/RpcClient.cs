using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExCraft.Cli;

/// <summary>
/// JSON-RPC 2.0 over HTTP POST with positional parameters. Transport problems (refused
/// connection, HTTP error status, a body that is not JSON-RPC, no answer in time) throw
/// <see cref="RpcTransportException"/>; an error object from the node throws <see cref="RpcCallException"/>.
/// </summary>
public sealed class RpcClient(Uri endpoint, HttpClient http)
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private int _nextId;

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Calls a method and returns its result (null when the node answers null).</summary>
    public async Task<JsonNode?> CallAsync(string method, CancellationToken cancel, params JsonNode?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = new JsonArray(parameters),
        };
        var body = await PostAsync(method, request.ToJsonString(), cancel);

        JsonObject response;
        try
        {
            response = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the answer is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new RpcTransportException($"{Endpoint} did not answer {method} with JSON-RPC: {e.Message}");
        }
        if (response["error"] is JsonObject error)
        {
            var code = error["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
            var message = error["message"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : error.ToJsonString();
            var reason = error["data"]?["reason"] is JsonValue r && r.TryGetValue<string>(out var rs) ? rs : null;
            throw new RpcCallException(method, code, message, reason);
        }
        if (!response.ContainsKey("result"))
            throw new RpcTransportException($"{Endpoint} answered {method} with neither a result nor an error");
        var result = response["result"];
        response.Remove("result"); // detach, so callers can put the result into their own documents
        return result;
    }

    private async Task<string> PostAsync(string method, string json, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var content = new StringContent(json, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(Endpoint, content, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            // The node answers JSON-RPC errors with a JSON body even on some non-2xx statuses (e.g. 413).
            if (!response.IsSuccessStatusCode && !body.TrimStart().StartsWith('{'))
                throw new RpcTransportException($"{Endpoint} answered {method} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            return body;
        }
        catch (HttpRequestException e)
        {
            throw new RpcTransportException($"cannot reach the node at {Endpoint}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new RpcTransportException($"the node at {Endpoint} did not answer {method} within {RequestTimeout.TotalSeconds:0} s");
        }
    }
}
