using NBitcoin;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// Extends a bcoin regtest chain by one block every interval until disposed, as a live chain's
/// miners would: swap tests whose timeouts are heights need the chain to move on its own. By
/// default bcoin mines its mempool; given a picker, the test is a miner with its own policy: each
/// block holds what the picker takes from the mempool (read in txid order), parents before children.
/// </summary>
public sealed class RegtestMiner : IAsyncDisposable
{
    /// <summary>Which transactions go into the next block, given the mempool in txid order.</summary>
    public delegate Task<IReadOnlyList<Transaction>> BlockPicker(IReadOnlyList<Transaction> mempool);

    private readonly BcoinFixture bitcoin;
    private readonly BlockPicker? pick;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RegtestMiner(BcoinFixture bitcoin, TimeSpan interval, BlockPicker? pick = null)
    {
        this.bitcoin = bitcoin;
        this.pick = pick;
        loop = RunAsync(interval, stop.Token);
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await MineOneAsync();
            try
            {
                await Task.Delay(interval, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task MineOneAsync()
    {
        if (pick == null)
        {
            await bitcoin.MineAsync(1);
            return;
        }
        var mempool = new List<Transaction>();
        foreach (var txid in (await bitcoin.Client.GetMempoolTxIdsAsync()).OrderBy(t => t.ToString(), StringComparer.Ordinal))
        {
            if (await bitcoin.Client.GetTransactionAsync(txid) is { } tx) mempool.Add(tx);
        }
        var picked = await pick(mempool);
        await RegtestBlockBuilder.MineAsync(bitcoin.Client, bitcoin.MinerAddress.ScriptPubKey, [.. InDependencyOrder(picked)]);
    }

    /// <summary>Parents before children: a transaction comes after any picked one whose output it spends.</summary>
    private static IEnumerable<Transaction> InDependencyOrder(IReadOnlyList<Transaction> picked)
    {
        var left = picked.ToList();
        while (left.Count > 0)
        {
            var ids = left.Select(t => t.GetHash()).ToHashSet();
            var ready = left.Where(t => t.Inputs.All(i => !ids.Contains(i.PrevOut.Hash))).ToList();
            if (ready.Count == 0) throw new InvalidOperationException("a cycle among picked transactions");
            foreach (var t in ready)
            {
                left.Remove(t);
                yield return t;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await loop;
        stop.Dispose();
    }
}
