using NBitcoin;
using NBitcoin.RPC;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// What the swap code asks of a bitcoind-compatible node. Calls go through NBitcoin's
/// RPCClient where bcoin's answers parse (block count and hashes, raw blocks, mempool, raw
/// transactions, gettxout, sendrawtransaction, generatetoaddress) and through
/// <see cref="BitcoinJsonRpc"/> where they do not (estimatesmartfee) or where the raw answer
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

    public async Task<uint256[]> GetMempoolTxIdsAsync(CancellationToken ct = default) =>
        await Rpc.GetRawMempoolAsync(ct).ConfigureAwait(false);

    /// <summary>A transaction from the mempool, or from the chain when the node indexes transactions; null if unknown.</summary>
    public async Task<Transaction?> GetTransactionAsync(uint256 txid, CancellationToken ct = default) =>
        await Rpc.GetRawTransactionAsync(txid, null, throwIfNotFound: false, ct).ConfigureAwait(false);

    /// <summary>Broadcasts; the node's reject reason comes back as an <see cref="RPCException"/>.</summary>
    public async Task<uint256> SendAsync(Transaction tx, CancellationToken ct = default) =>
        await Rpc.SendRawTransactionAsync(tx, ct).ConfigureAwait(false);

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
