using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>An output that pays the HTLC's address; Height is null while it sits in the mempool.</summary>
public sealed record HtlcFundingSeen(OutPoint Outpoint, Money Amount, int? Height);

public sealed record HtlcActivity(IReadOnlyList<HtlcFundingSeen> Fundings, IReadOnlyList<HtlcSpend> Spends, int Tip)
{
    /// <summary>The secret, from the first claim seen (confirmed or in the mempool).</summary>
    public byte[]? Preimage => Spends.FirstOrDefault(s => s.Kind == HtlcSpendKind.Claim)?.Preimage;

    /// <summary>
    /// Set when this scan found that blocks it had scanned left the best chain: the height of
    /// the last block still on it (the fork point). Null when no reorganisation was seen.
    /// </summary>
    public int? ForkHeight { get; init; }

    /// <summary>
    /// Fundings an earlier scan reported confirmed whose block this scan found reorganised out,
    /// with the height they had. "Unconfirmed again": their current state is in
    /// <see cref="Fundings"/> (a null height when back in the mempool, absent when gone, a new
    /// height when mined again).
    /// </summary>
    public IReadOnlyList<HtlcFundingSeen> RetractedFundings { get; init; } = [];

    /// <summary>Claims and refunds reported confirmed earlier whose block was reorganised out (as <see cref="RetractedFundings"/>).</summary>
    public IReadOnlyList<HtlcSpend> RetractedSpends { get; init; } = [];

    /// <summary>The last block scanned; persist it to resume a watcher after a restart.</summary>
    public BitcoinScanCursor? Cursor { get; init; }
}

/// <summary>
/// Follows one HTLC through a bitcoind-compatible node: outputs paying its P2WSH address
/// (funding) and inputs whose witness reveals its script (claim, with the preimage, or refund),
/// in blocks from a start height and in the mempool.
/// <para>
/// Blocks are read once and remembered with their hashes (the last <see cref="ReorgWindow"/>).
/// Each scan first checks that the last scanned block is still on the best chain; when it is
/// not, the watcher walks back to the fork point, forgets what it saw above it (reported once as
/// retracted) and scans the new branch. After reading the mempool it reads the best block hash
/// again and scans once more if the chain moved, so a transaction mined between the block scan
/// and the mempool read is never missed. docs/swaps-bitcoin.md "Watcher" has the details.
/// </para>
/// </summary>
public sealed class HtlcWatcher
{
    /// <summary>How many scanned block hashes are kept to find a fork point (deeper forks rescan from the start height).</summary>
    public const int DefaultReorgWindow = 144;

    /// <summary>How many times one scan starts over because the chain moved under it before giving up.</summary>
    private const int MaxRounds = 20;

    private readonly BitcoinNodeClient node;
    private readonly int startHeight;
    private readonly List<HtlcFundingSeen> confirmedFundings = [];
    private readonly List<HtlcSpend> confirmedSpends = [];
    // The scanned blocks, oldest first, at most ReorgWindow of them; the last is the cursor.
    private readonly List<BitcoinScanCursor> scanned = [];
    private int nextHeight;

    public HtlcWatcher(BitcoinNodeClient node, HtlcContract contract, int fromHeight)
        : this(node, contract, fromHeight, resumeFrom: null)
    {
    }

    /// <summary>
    /// A watcher that goes on after <paramref name="resumeFrom"/> (a cursor an earlier watcher
    /// reported) instead of reading from <paramref name="fromHeight"/>. What lay at or below the
    /// cursor is not reported again: the caller keeps what it learnt then. If the cursor's block
    /// has left the best chain meanwhile, the watcher starts over from <paramref name="fromHeight"/>.
    /// A cursor below <paramref name="fromHeight"/> is ignored.
    /// </summary>
    public HtlcWatcher(BitcoinNodeClient node, HtlcContract contract, int fromHeight, BitcoinScanCursor? resumeFrom, int reorgWindow = DefaultReorgWindow)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentOutOfRangeException.ThrowIfLessThan(reorgWindow, 1);
        this.node = node;
        Contract = contract;
        ReorgWindow = reorgWindow;
        startHeight = Math.Max(fromHeight, 0);
        nextHeight = startHeight;
        if (resumeFrom is not null && resumeFrom.Height >= startHeight)
        {
            scanned.Add(resumeFrom);
            nextHeight = resumeFrom.Height + 1;
        }
    }

    public HtlcContract Contract { get; }

    public int ReorgWindow { get; }

    /// <summary>The last block scanned (null before the first block); persist it to resume later.</summary>
    public BitcoinScanCursor? Cursor => scanned.Count == 0 ? null : scanned[^1];

    /// <summary>Reorganisations seen since this watcher was made.</summary>
    public int Reorganisations { get; private set; }

    /// <summary>
    /// For tests only: runs between the block scan and the mempool read, so a test can mine a
    /// block exactly there and prove the scan still sees what that block took from the mempool.
    /// </summary>
    internal Func<CancellationToken, Task>? BetweenBlocksAndMempool { get; set; }

    public async Task<HtlcActivity> ScanAsync(CancellationToken ct = default)
    {
        var retractedFundings = new List<HtlcFundingSeen>();
        var retractedSpends = new List<HtlcSpend>();
        int? forkHeight = null;
        for (var round = 0; round < MaxRounds; round++)
        {
            var tip = await node.GetBlockCountAsync(ct).ConfigureAwait(false);
            var fork = await RewindIfReorganisedAsync(tip, retractedFundings, retractedSpends, ct).ConfigureAwait(false);
            if (fork is { } f)
                forkHeight = forkHeight is { } earlier ? Math.Min(earlier, f) : f;
            if (!await ScanBlocksAsync(tip, ct).ConfigureAwait(false))
                continue; // a block did not link to the one before: the chain reorganised mid-scan

            if (BetweenBlocksAndMempool is { } hook)
                await hook(ct).ConfigureAwait(false);
            var fundings = new List<HtlcFundingSeen>(confirmedFundings);
            var spends = new List<HtlcSpend>(confirmedSpends);
            await ReadMempoolAsync(fundings, spends, ct).ConfigureAwait(false);

            // A block connected since the tip was read took its transactions out of the mempool
            // before (or while) it was read: they are in neither view, so scan again.
            if (!await ChainUnchangedAsync(tip, ct).ConfigureAwait(false))
                continue;
            return new HtlcActivity(fundings, spends, tip)
            {
                ForkHeight = forkHeight,
                RetractedFundings = retractedFundings,
                RetractedSpends = retractedSpends,
                Cursor = Cursor,
            };
        }
        throw new InvalidOperationException($"the node's chain moved during each of {MaxRounds} scan attempts of HTLC {Contract.Address(node.Network)}");
    }

    /// <summary>
    /// Walks back from the last scanned block to the newest one still on the best chain, drops
    /// what was seen above it and returns its height; null when nothing had to be dropped.
    /// </summary>
    private async Task<int?> RewindIfReorganisedAsync(int tip, List<HtlcFundingSeen> retractedFundings, List<HtlcSpend> retractedSpends, CancellationToken ct)
    {
        if (scanned.Count == 0)
            return null;
        var dropped = false;
        while (scanned.Count > 0)
        {
            var last = scanned[^1];
            if (last.Height <= tip && await node.GetBlockHashAsync(last.Height, ct).ConfigureAwait(false) == last.Hash)
                break;
            scanned.RemoveAt(scanned.Count - 1);
            dropped = true;
        }
        if (!dropped)
            return null;
        // No remembered block is left on the best chain: the fork is deeper than the window (or
        // the resumed cursor's block is gone), so everything from the start height is read again.
        var fork = scanned.Count > 0 ? scanned[^1].Height : startHeight - 1;
        Retract(confirmedFundings, f => f.Height > fork, retractedFundings);
        Retract(confirmedSpends, s => s.Height > fork, retractedSpends);
        nextHeight = fork + 1;
        Reorganisations++;
        return fork;
    }

    private static void Retract<T>(List<T> seen, Func<T, bool> above, List<T> retracted)
    {
        retracted.AddRange(seen.Where(above));
        seen.RemoveAll(x => above(x));
    }

    /// <summary>Reads the blocks after the cursor up to <paramref name="tip"/>; false when one does not extend the previous (a reorganisation under the scan).</summary>
    private async Task<bool> ScanBlocksAsync(int tip, CancellationToken ct)
    {
        for (; nextHeight <= tip; nextHeight++)
        {
            var hash = await node.GetBlockHashAsync(nextHeight, ct).ConfigureAwait(false);
            if (hash is null)
                return false;
            var block = await node.GetBlockAsync(hash, ct).ConfigureAwait(false);
            if (Cursor is { } previous && previous.Height == nextHeight - 1 && block.Header.HashPrevBlock != previous.Hash)
                return false;
            foreach (var tx in block.Transactions)
                Inspect(tx, nextHeight, confirmedFundings, confirmedSpends);
            scanned.Add(new BitcoinScanCursor(nextHeight, hash));
            if (scanned.Count > ReorgWindow)
                scanned.RemoveAt(0);
        }
        return true;
    }

    private async Task ReadMempoolAsync(List<HtlcFundingSeen> fundings, List<HtlcSpend> spends, CancellationToken ct)
    {
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
    }

    /// <summary>Whether the best chain still ends where the blocks were scanned to.</summary>
    private async Task<bool> ChainUnchangedAsync(int tip, CancellationToken ct)
    {
        if (Cursor is { } cursor && cursor.Height == tip)
            return await node.GetBestBlockHashAsync(ct).ConfigureAwait(false) == cursor.Hash;
        return await node.GetBlockCountAsync(ct).ConfigureAwait(false) == tip; // nothing scanned yet (start above the tip)
    }

    private void Inspect(Transaction tx, int? height, List<HtlcFundingSeen> fundings, List<HtlcSpend> spends)
    {
        foreach (var (outpoint, amount) in HtlcFunding.FindHtlcOutputs(tx, Contract))
            fundings.Add(new HtlcFundingSeen(outpoint, amount, height));
        if (tx.IsCoinBase)
            return;
        for (var i = 0; i < tx.Inputs.Count; i++)
        {
            var spend = HtlcSpend.TryRead(Contract, tx, i, height);
            if (spend is not null)
                spends.Add(spend);
        }
    }
}
