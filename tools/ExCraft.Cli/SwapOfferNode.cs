using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Cli;

/// <summary>The node's swapoffers_* methods (src/ExCraft.Rpc/Methods/SwapOfferMethods.cs), over the same --rpc endpoint as every other command.</summary>
public sealed class SwapOfferNode(CommandContext context) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan }; // RpcClient applies its own per-request timeout
    private RpcClient Rpc => new(context.Node.Endpoint, _http);

    /// <summary>One offer; an unknown id is "not found" (exit code 5).</summary>
    public async Task<JsonObject> OfferAsync(byte[] id) =>
        await Rpc.CallAsync("swapoffers_get", context.Cancel, Hex.Encode(id)) as JsonObject ?? throw CliException.NotFound($"no swap offer {Hex.Encode(id)}");

    public Task<JsonObject> OpenAsync(int limit, byte[]? after) => PageAsync("swapoffers_listOpen", JsonValue.Create(limit), After(after));

    public Task<JsonObject> OpenOfPairAsync(string nativeAsset, string outsideChain, string outsideAsset, int limit, byte[]? after) =>
        PageAsync("swapoffers_listByPair", JsonValue.Create(nativeAsset), JsonValue.Create(outsideChain), JsonValue.Create(outsideAsset), JsonValue.Create(limit), After(after));

    public Task<JsonObject> ByAccountAsync(Address account, int limit, byte[]? after) =>
        PageAsync("swapoffers_listByAccount", JsonValue.Create(account.ToString()), JsonValue.Create(limit), After(after));

    // An option of an array type that is not given parses as an empty array, not null.
    private static JsonNode? After(byte[]? after) => after is null || after.Length == 0 ? null : JsonValue.Create(Hex.Encode(after));

    private async Task<JsonObject> PageAsync(string method, params JsonNode?[] parameters) =>
        await Rpc.CallAsync(method, context.Cancel, parameters) as JsonObject ?? throw new RpcTransportException($"{method} did not return a page of offers");

    public void Dispose() => _http.Dispose();
}
