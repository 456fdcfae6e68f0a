using NBitcoin;
using NBitcoin.RPC;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// What the swap code asks of a bitcoind-compatible node. Calls go through NBitcoin's
/// RPCClient where bcoin's answers parse (block count and hashes, raw blocks, mempool, raw
/// gettxout, sendrawtransaction, generatetoaddress) and through
/// <see cref="BitcoinJsonRpc"/> where they do not (estimatesmartfee, getrawtransaction, getmempoolentry) or where the raw answer
/// matters (submitblock). docs/swaps-bitcoin.md lists each call.
/// </summary>
public sealed class BitcoinNodeClient : IDisposable
{
    public Network Network { get; }
    public RPCClient Rpc { get; }
    public BitcoinJsonRpc Raw { get; }

    public BitcoinNodeClient(Uri endpoint, string user, string password, Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        Rpc = new RPCClient($"{user}:{password}", endpoint, network);
        Raw = new BitcoinJsonRpc(endpoint, user, password);
    }

    public async Task<int> GetBlockCountAsync(CancellationToken ct = default) =>
        await Rpc.GetBlockCountAsync(ct).ConfigureAwait(false);

    public async Task<Block> GetBlockAsync(int height, CancellationToken ct = default)
    {
        var hash = await Rpc.GetBlockHashAsync(height, ct).ConfigureAwait(false);
        return await Rpc.GetBlockAsync(hash, ct).ConfigureAwait(false);
    }

    /// <summary>The hash of the best-chain block at a height, or null above the node's tip.</summary>
    public async Task<uint256?> GetBlockHashAsync(int height, CancellationToken ct = default)
    {
        if (height < 0)
            return null;
        try
        {
            return await Rpc.GetBlockHashAsync(height, ct).ConfigureAwait(false);
        }
        catch (RPCException) // the node's "out of range" answer (bcoin and bitcoind word it differently)
        {
            return null;
        }
    }

    public async Task<Block> GetBlockAsync(uint256 hash, CancellationToken ct = default) =>
        await Rpc.GetBlockAsync(hash, ct).ConfigureAwait(false);

    public async Task<uint256> GetBestBlockHashAsync(CancellationToken ct = default) =>
        await Rpc.GetBestBlockHashAsync(ct).ConfigureAwait(false);

    public async Task<uint256[]> GetMempoolTxIdsAsync(CancellationToken ct = default) =>
        await Rpc.GetRawMempoolAsync(ct).ConfigureAwait(false);

    /// <summary>A transaction from the mempool, or from the chain when the node indexes transactions; null if unknown.</summary>
    /// (Own client: NBitcoin maps only bitcoind's error -5 to "not found", bcoin answers -1.)
    public async Task<Transaction?> GetTransactionAsync(uint256 txid, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(txid);
        try
        {
            var hex = await Raw.CallAsync("getrawtransaction", ct, txid.ToString(), 0).ConfigureAwait(false);
            return hex is null ? null : Transaction.Parse(hex.GetValue<string>(), Network);
        }
        catch (BitcoinRpcException e) when (e.Code <= 0) // the node's answer (not found, no estimate); HTTP and auth failures propagate
        {
            return null;
        }
    }

    /// <summary>
    /// How long <see cref="SendAsync"/> waits for the node to show a broadcast transaction. A valid
    /// one shows within milliseconds, so only a refused one waits this long; generous because a
    /// node under load must not have a good transaction reported as refused.
    /// </summary>
    public TimeSpan AcceptanceWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Broadcasts and returns once the node holds the transaction (mempool or chain), or throws
    /// <see cref="TransactionRejectedException"/>. bitcoind refuses a bad transaction in the
    /// sendrawtransaction answer; bcoin 1.0.2 answers with the txid before its mempool has
    /// checked it and only logs a refusal, so acceptance is read back, for a bounded time.
    /// </summary>
    public async Task<uint256> SendAsync(Transaction tx, CancellationToken ct = default) =>
        await SendAsync(tx, AcceptanceWait, ct).ConfigureAwait(false);

    /// <summary><see cref="SendAsync(Transaction, CancellationToken)"/> with its own acceptance wait.</summary>
    public async Task<uint256> SendAsync(Transaction tx, TimeSpan acceptanceWait, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var txid = tx.GetHash();
        try
        {
            await Rpc.SendRawTransactionAsync(tx, ct).ConfigureAwait(false);
        }
        catch (RPCException e)
        {
            throw new TransactionRejectedException(txid, e.Message);
        }
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await IsKnownAsync(txid, ct).ConfigureAwait(false))
        {
            if (waited.Elapsed >= acceptanceWait)
                throw new TransactionRejectedException(txid, $"not in the node's mempool or chain {acceptanceWait.TotalSeconds:0.#} s after broadcast (bcoin only logs its reason)");
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
        return txid;
    }

    /// <summary>Whether the node has the transaction in its mempool or (with a transaction index) in a block.</summary>
    public async Task<bool> IsKnownAsync(uint256 txid, CancellationToken ct = default)
    {
        try
        {
            await Raw.CallAsync("getmempoolentry", ct, txid.ToString()).ConfigureAwait(false);
            return true;
        }
        catch (BitcoinRpcException e) when (e.Code <= 0) // the node's answer (not found, no estimate); HTTP and auth failures propagate
        {
            // not in the mempool; maybe already mined
        }
        return await GetTransactionAsync(txid, ct).ConfigureAwait(false) is not null;
    }

    /// <summary>An unspent output from the node's UTXO set (and its mempool if asked), or null if spent or unknown.</summary>
    public async Task<GetTxOutResponse?> GetTxOutAsync(OutPoint outpoint, bool includeMempool, CancellationToken ct = default) =>
        await Rpc.GetTxOutAsync(outpoint.Hash, (int)outpoint.N, includeMempool, ct).ConfigureAwait(false);

    public async Task<uint256[]> GenerateToAddressAsync(int blocks, BitcoinAddress address, CancellationToken ct = default) =>
        await Rpc.GenerateToAddressAsync(blocks, address, ct).ConfigureAwait(false);

    /// <summary>Hands the node a block; returns the node's verdict (null when accepted, as in bitcoind).</summary>
    public async Task<string?> SubmitBlockAsync(Block block, CancellationToken ct = default)
    {
        var result = await Raw.CallAsync("submitblock", ct, Convert.ToHexStringLower(block.ToBytes())).ConfigureAwait(false);
        return result?.GetValue<string>();
    }

    public void Dispose() => Raw.Dispose();
}
