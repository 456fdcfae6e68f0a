using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExCraft.Integration.Tests;

/// <summary>A minimal JSON-RPC client for tests: raw responses, so errors can be asserted.</summary>
public sealed class RpcClient(string url) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _id;

    public string Url => url;

    public async Task<bool> IsHealthyAsync()
    {
        // One probe is short: a node still starting (or a connection left from the previous process
        // on this port) is "not healthy yet", and the caller's own deadline bounds the waiting.
        using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            using var response = await _http.GetAsync(url + "health", probe.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException && probe.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The whole response object of one call.</summary>
    public async Task<JsonNode> CallRawAsync(string method, params object?[] parameters)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _id), ["method"] = method, ["params"] = JsonSerializer.SerializeToNode(parameters) };
        return (await PostAsync(request.ToJsonString())).Body!;
    }

    /// <summary>The result of a call; throws if the node answered with an error.</summary>
    public async Task<JsonNode?> CallAsync(string method, params object?[] parameters)
    {
        var response = await CallRawAsync(method, parameters);
        if (response["error"] is { } error) throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        return response["result"];
    }

    /// <summary>Posts a body; with expectContinue the server may refuse it (413) before it is sent.</summary>
    public async Task<(int Status, JsonNode? Body)> PostAsync(string body, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = expectContinue;
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Posts raw bytes (which need not be valid UTF-8 or JSON).</summary>
    public async Task<(int Status, JsonNode? Body)> PostBytesAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonNode> WaitForReceiptAsync(string hash, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await CallAsync("ext_getTransactionReceipt", hash) is { } receipt) return receipt;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no receipt for {hash}");
    }

    public async Task<string> BalanceAsync(string address, string asset = "EXT") =>
        (await CallAsync("ext_getBalance", address, asset))!["balance"]!.GetValue<string>();

    public void Dispose() => _http.Dispose();
}
