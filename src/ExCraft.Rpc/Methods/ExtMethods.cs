using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Modules.Accounts;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.Subscriptions;

namespace ExCraft.Rpc.Methods;

/// <summary>The ext_* wallet methods (docs/rpc.md).</summary>
public sealed class ExtMethods(Blockchain chain, TransactionPool mempool, TransactionIngress ingress, SubscriptionHub subscriptions, NodeInfo node)
{
    public const int MaxAccountTransactions = 1_000;

    private AccountsQueries Accounts => new(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("ext_chainId", 0, (_, _) => chain.ChainId);
        registry.Add("ext_blockNumber", 0, (_, _) => chain.Head.Height);
        registry.Add("ext_getBlockByNumber", 2, (p, _) => BlockByNumber(p));
        registry.Add("ext_getBlockByHash", 2, (p, _) => BlockByHash(p));
        registry.Add("ext_getTransaction", 1, (p, _) => Transaction(p.Hash(0)));
        registry.Add("ext_getTransactionReceipt", 1, (p, _) => chain.GetReceipt(p.Hash(0)) is { } r ? ChainJson.Receipt(r) : null);
        registry.Add(JsonRpcDispatcher.SendRawTransaction, 1, (p, _) => ExtMethodsResults.FromSubmit(ingress.Submit(p.HexBytes(0, "raw transaction"))));
        registry.Add("ext_getBalance", 2, (p, _) => Balance(p));
        registry.Add("ext_getBalances", 1, (p, _) => Balances(p.Address(0)));
        registry.Add("ext_getNonce", 2, (p, _) => Nonce(p));
        registry.Add("ext_getAsset", 1, (p, _) => Accounts.Asset(p.String(0, "symbol")) is { } a ? ChainJson.Asset(a) : null);
        registry.Add("ext_listAssets", 0, (_, _) => new JsonArray(Accounts.Assets().Select(a => (JsonNode)ChainJson.Asset(a)).ToArray()));
        registry.Add("ext_getAccountTransactions", 2, (p, _) => new JsonArray(chain.GetAccountTransactions(p.Address(0), p.Int(1, "limit", 100, 1, MaxAccountTransactions))
            .Select(h => (JsonNode)JsonValue.Create(Hex.Encode(h))!).ToArray()));
        registry.Add("ext_subscribe", 2, (p, c) => subscriptions.Subscribe(p, RequireSession(c)));
        registry.Add("ext_unsubscribe", 1, (p, c) => RequireSession(c).Unsubscribe(p.String(0, "subscription id")));
        registry.Add("ext_nodeInfo", 0, (_, _) => NodeInfoJson());
    }

    private static WebSocketSession RequireSession(RpcCallContext context) =>
        context.Session ?? throw new RpcException(RpcErrorCodes.InvalidRequest, "subscriptions need a WebSocket connection (ws://host:port/ws)");

    private JsonNode? BlockByNumber(RpcParams p)
    {
        var height = p.Height(0, "height", chain.Head.Height);
        return height == 0 || height > chain.Head.Height ? null : BlockJson(chain.GetBlock(height), p.Bool(1, "full transactions", false));
    }

    private JsonNode? BlockByHash(RpcParams p) => BlockJson(chain.GetBlockByHash(p.Hash(0)), p.Bool(1, "full transactions", false));

    private JsonObject? BlockJson(Core.Blocks.Block? block, bool full) =>
        block is null ? null : ChainJson.Block(block, full, tx => chain.GetReceipt(tx.Hash)?.Sender);

    private JsonNode? Transaction(byte[] hash)
    {
        if (mempool.Get(hash) is { } pending) return ChainJson.Transaction(pending.Transaction, pending.Sender, null, null);
        if (chain.GetReceipt(hash) is not { } receipt) return null;
        var tx = chain.GetBlock(receipt.Height)!.Transactions[receipt.Index];
        return ChainJson.Transaction(tx, receipt.Sender, receipt.Height, receipt.Index);
    }

    private JsonNode Balance(RpcParams p)
    {
        var account = p.Address(0);
        var symbol = p.OptionalString(1, "asset") ?? AssetSymbol.Native;
        return ChainJson.Balance(Accounts.Balance(account, symbol) ?? throw new RpcException(RpcErrorCodes.InvalidParams, $"unknown asset {symbol}"));
    }

    private JsonNode Balances(Address account) => new JsonArray(Accounts.Balances(account).Select(b => (JsonNode)ChainJson.Balance(b)).ToArray());

    private JsonNode Nonce(RpcParams p)
    {
        var account = p.Address(0);
        return (p.OptionalString(1, "block") ?? "latest") switch
        {
            "latest" => Accounts.Nonce(account),
            "pending" => mempool.NextNonce(account),
            var other => throw new RpcException(RpcErrorCodes.InvalidParams, $"ext_getNonce: parameter 1 (block) must be \"latest\" or \"pending\", got \"{other}\""),
        };
    }

    private JsonObject NodeInfoJson()
    {
        var head = chain.Head;
        return new JsonObject
        {
            ["version"] = node.Version,
            ["moniker"] = node.Moniker,
            ["chainId"] = chain.ChainId,
            ["chainName"] = chain.Genesis.ChainName,
            ["genesisHash"] = Hex.Encode(chain.GenesisHash),
            ["height"] = head.Height,
            ["headHash"] = Hex.Encode(head.BlockHash),
            ["appHash"] = Hex.Encode(head.AppHash),
            ["validator"] = node.Validator?.ToString(),
            ["mode"] = node.Status.Mode,
            ["peers"] = node.Status.Peers,
            ["consensusHeight"] = node.Status.ConsensusHeight,
            ["round"] = node.Status.Round,
            ["syncing"] = node.Status.Syncing,
            ["syncTarget"] = node.Status.SyncTarget ?? head.Height,
            ["mempoolSize"] = mempool.Count,
            ["mempoolBytes"] = mempool.Bytes,
        };
    }
}
