using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Cli;

/// <summary>The node's ext_* wallet and staking methods (src/ExCraft.Rpc/Methods/ExtMethods.cs, StakingMethods.cs), typed where the CLI needs a value.</summary>
public sealed class NodeClient(RpcClient rpc, CancellationToken cancel)
{
    public Uri Endpoint => rpc.Endpoint;

    public async Task<ulong> ChainIdAsync() => (await rpc.CallAsync("ext_chainId", cancel)).AsUInt64("ext_chainId");

    /// <summary>The account's nonce; "pending" counts its transactions waiting in the mempool.</summary>
    public async Task<ulong> NonceAsync(Address account, string block) =>
        (await rpc.CallAsync("ext_getNonce", cancel, account.ToString(), block)).AsUInt64("ext_getNonce");

    public async Task<JsonObject?> AssetAsync(string symbol) => await rpc.CallAsync("ext_getAsset", cancel, symbol) as JsonObject;

    /// <summary>The asset's decimals; an unknown asset is "not found" (exit code 5).</summary>
    public async Task<int> DecimalsAsync(string symbol) =>
        (await AssetAsync(symbol) ?? throw CliException.NotFound($"unknown asset {symbol}")).Int32("decimals");

    public async Task<JsonObject> BalanceAsync(Address account, string asset) =>
        Expect<JsonObject>(await rpc.CallAsync("ext_getBalance", cancel, account.ToString(), asset), "ext_getBalance", "an object");

    public async Task<JsonArray> BalancesAsync(Address account) =>
        Expect<JsonArray>(await rpc.CallAsync("ext_getBalances", cancel, account.ToString()), "ext_getBalances", "an array");

    /// <summary>Submits a signed transaction and returns its hash as the node reports it.</summary>
    public async Task<string> SendRawTransactionAsync(byte[] raw) =>
        Expect<JsonValue>(await rpc.CallAsync("ext_sendRawTransaction", cancel, Hex.Encode(raw)), "ext_sendRawTransaction", "a hash") is var v
            && v.TryGetValue<string>(out var hash) ? hash : throw new RpcTransportException("ext_sendRawTransaction did not return a hash");

    public async Task<JsonObject?> TransactionAsync(string hash) => await rpc.CallAsync("ext_getTransaction", cancel, hash) as JsonObject;

    public async Task<JsonObject?> ReceiptAsync(string hash) => await rpc.CallAsync("ext_getTransactionReceipt", cancel, hash) as JsonObject;

    /// <summary>A block by height, or the head for null; null when there is no such block.</summary>
    public async Task<JsonObject?> BlockAsync(ulong? height) =>
        await rpc.CallAsync("ext_getBlockByNumber", cancel, height is { } h ? JsonValue.Create(h) : JsonValue.Create("latest"), false) as JsonObject;

    /// <summary>ext_getValidators: the epoch, the active set and the validators (candidates too unless <paramref name="includeCandidates"/> is false).</summary>
    public async Task<JsonObject> ValidatorsAsync(bool includeCandidates) =>
        Expect<JsonObject>(await rpc.CallAsync("ext_getValidators", cancel, includeCandidates), "ext_getValidators", "an object");

    /// <summary>A validator by its operator address; null when the address is not a validator.</summary>
    public async Task<JsonObject?> ValidatorAsync(Address operatorAddress) => await rpc.CallAsync("ext_getValidator", cancel, operatorAddress.ToString()) as JsonObject;

    public async Task<JsonArray> DelegationsAsync(Address delegator) =>
        Expect<JsonArray>(await rpc.CallAsync("ext_getDelegations", cancel, delegator.ToString()), "ext_getDelegations", "an array");

    public async Task<JsonArray> UnbondingsAsync(Address delegator) =>
        Expect<JsonArray>(await rpc.CallAsync("ext_getUnbondings", cancel, delegator.ToString()), "ext_getUnbondings", "an array");

    public async Task<JsonObject> StakingParamsAsync() =>
        Expect<JsonObject>(await rpc.CallAsync("ext_getStakingParams", cancel), "ext_getStakingParams", "an object");

    public async Task<JsonObject> EmissionSupplyAsync() =>
        Expect<JsonObject>(await rpc.CallAsync("emission_getSupply", cancel), "emission_getSupply", "an object");

    public async Task<JsonObject> EmissionRewardsAsync(Address account) =>
        Expect<JsonObject>(await rpc.CallAsync("emission_getRewards", cancel, account.ToString()), "emission_getRewards", "an object");

    /// <summary>market_list: every market, by base then quote symbol.</summary>
    public async Task<JsonArray> MarketsAsync() => Expect<JsonArray>(await rpc.CallAsync("market_list", cancel), "market_list", "an array");

    /// <summary>market_get: the market "BASE/QUOTE", or null when it is not listed.</summary>
    public async Task<JsonObject?> MarketAsync(string pair) => await rpc.CallAsync("market_get", cancel, pair) as JsonObject;

    /// <summary>market_depth: the best <paramref name="levels"/> price levels of each side.</summary>
    public async Task<JsonObject> DepthAsync(string pair, int levels) =>
        Expect<JsonObject>(await rpc.CallAsync("market_depth", cancel, pair, levels), "market_depth", "an object");

    /// <summary>market_getOrder: an open order, or null (closed orders are not kept).</summary>
    public async Task<JsonObject?> OrderAsync(string pair, ulong orderId) => await rpc.CallAsync("market_getOrder", cancel, pair, orderId) as JsonObject;

    /// <summary>market_openOrders: the account's open orders on every market, by market then id.</summary>
    public async Task<JsonArray> OpenOrdersAsync(Address account) =>
        Expect<JsonArray>(await rpc.CallAsync("market_openOrders", cancel, account.ToString()), "market_openOrders", "an array");

    /// <summary>market_trades: up to <paramref name="limit"/> trades with ids from <paramref name="fromId"/> on, oldest first.</summary>
    public async Task<JsonArray> TradesAsync(string pair, ulong fromId, int limit) =>
        Expect<JsonArray>(await rpc.CallAsync("market_trades", cancel, pair, fromId, limit), "market_trades", "an array");

    /// <summary>ext_getBlockEvents: the events a block emitted outside its transactions' receipts (begin and end of block).</summary>
    public async Task<JsonArray> BlockEventsAsync(ulong height) =>
        Expect<JsonArray>(await rpc.CallAsync("ext_getBlockEvents", cancel, height), "ext_getBlockEvents", "an array");

    /// <summary>Any method by name (module commands such as kyc, pool and poe read their own methods' JSON).</summary>
    public Task<JsonNode?> CallAsync(string method, params JsonNode?[] parameters) => rpc.CallAsync(method, cancel, parameters);

    public async Task<JsonObject> NodeInfoAsync() => Expect<JsonObject>(await rpc.CallAsync("ext_nodeInfo", cancel), "ext_nodeInfo", "an object");

    private static T Expect<T>(JsonNode? result, string method, string what) where T : JsonNode =>
        result as T ?? throw new RpcTransportException($"{method} returned {result?.ToJsonString() ?? "null"}, expected {what}");
}
