using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>An error the node answered with (code and message as the node sent them).</summary>
public sealed class BitcoinRpcException(string method, int code, string message)
    : Exception($"{method}: node error {code}: {message}")
{
    public string Method { get; } = method;
    public int Code { get; } = code;
    public string NodeMessage { get; } = message;
}

/// <summary>
/// A small bitcoind-style JSON-RPC client (HTTP POST, basic auth, positional params) for the
/// calls whose answers NBitcoin's RPCClient cannot read from bcoin (see docs/swaps-bitcoin.md):
/// estimatesmartfee, where bcoin answers <c>{fee, blocks}</c> instead of <c>{feerate, blocks}</c>.
/// </summary>
public sealed class BitcoinJsonRpc : IDisposable
{
    private readonly HttpClient http;
    private long nextId;

    public BitcoinJsonRpc(Uri endpoint, string user, string password, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        http = new HttpClient { BaseAddress = endpoint, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    /// <summary>Calls a method; returns its result (JSON null as a null node).</summary>
    public async Task<JsonNode?> CallAsync(string method, CancellationToken ct, params object?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "1.0",
            ["id"] = Interlocked.Increment(ref nextId),
            ["method"] = method,
            ["params"] = JsonSerializer.SerializeToNode(parameters),
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("", content, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonNode? reply;
        try
        {
            reply = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new BitcoinRpcException(method, (int)response.StatusCode, $"HTTP {(int)response.StatusCode}, not JSON: {Truncate(body)}");
        }
        if (reply?["error"] is JsonObject error)
            throw new BitcoinRpcException(method, error["code"]?.GetValue<int>() ?? 0, error["message"]?.GetValue<string>() ?? "");
        if (!response.IsSuccessStatusCode)
            throw new BitcoinRpcException(method, (int)response.StatusCode, $"HTTP {(int)response.StatusCode}: {Truncate(body)}");
        return reply?["result"];
    }

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "...";

    public void Dispose() => http.Dispose();
}
