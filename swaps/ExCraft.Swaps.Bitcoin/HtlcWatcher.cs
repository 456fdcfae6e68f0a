using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>An output that pays the HTLC's address; Height is null while it sits in the mempool.</summary>
public sealed record HtlcFundingSeen(OutPoint Outpoint, Money Amount, int? Height);

public sealed record HtlcActivity(IReadOnlyList<HtlcFundingSeen> Fundings, IReadOnlyList<HtlcSpend> Spends, int Tip)
{
    /// <summary>The secret, from the first claim seen (confirmed or in the mempool).</summary>
    public byte[]? Preimage => Spends.FirstOrDefault(s => s.Kind == HtlcSpendKind.Claim)?.Preimage;
}

/// <summary>
/// Follows one HTLC through a bitcoind-compatible node: outputs paying its P2WSH address
/// (funding) and inputs whose witness reveals its script (claim, with the preimage, or refund),
/// in blocks from a start height and in the mempool. Blocks are read once and remembered; the
/// mempool is read afresh on every scan. A reorganisation below the scanned tip is not followed
/// (swaps wait for confirmations before acting on what they see).
/// </summary>
public sealed class HtlcWatcher(BitcoinNodeClient node, HtlcContract contract, int fromHeight)
{
    private readonly List<HtlcFundingSeen> confirmedFundings = [];
    private readonly List<HtlcSpend> confirmedSpends = [];
    private int nextHeight = Math.Max(fromHeight, 0);

    public HtlcContract Contract => contract;

    public async Task<HtlcActivity> ScanAsync(CancellationToken ct = default)
    {
        var tip = await node.GetBlockCountAsync(ct).ConfigureAwait(false);
        for (; nextHeight <= tip; nextHeight++)
        {
            var block = await node.GetBlockAsync(nextHeight, ct).ConfigureAwait(false);
            foreach (var tx in block.Transactions)
                Inspect(tx, nextHeight, confirmedFundings, confirmedSpends);
        }

        var fundings = new List<HtlcFundingSeen>(confirmedFundings);
        var spends = new List<HtlcSpend>(confirmedSpends);
        var confirmedIds = spends.Select(s => s.TxId).Concat(fundings.Select(f => f.Outpoint.Hash)).ToHashSet();
        // Sorted so that two scans of the same mempool report the same order.
        var mempool = (await node.GetMempoolTxIdsAsync(ct).ConfigureAwait(false)).OrderBy(id => id.ToString(), StringComparer.Ordinal);
        foreach (var txid in mempool)
        {
            if (confirmedIds.Contains(txid))
                continue;
            var tx = await node.GetTransactionAsync(txid, ct).ConfigureAwait(false);
            if (tx is not null) // it may have left the mempool since the list was read
                Inspect(tx, null, fundings, spends);
        }
        return new HtlcActivity(fundings, spends, tip);
    }

    private void Inspect(Transaction tx, int? height, List<HtlcFundingSeen> fundings, List<HtlcSpend> spends)
    {
        foreach (var (outpoint, amount) in HtlcFunding.FindHtlcOutputs(tx, contract))
            fundings.Add(new HtlcFundingSeen(outpoint, amount, height));
        if (tx.IsCoinBase)
            return;
        for (var i = 0; i < tx.Inputs.Count; i++)
        {
            var spend = HtlcSpend.TryRead(contract, tx, i, height);
            if (spend is not null)
                spends.Add(spend);
        }
    }
}
