using ExCraft.Chain;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Production;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExCraft.Node;

/// <summary>
/// The single validator's block loop: a block every block interval, or sooner once the mempool
/// holds a full block. A storage failure stops the node rather than let it run on unknown state.
/// </summary>
public sealed class BlockProductionService(
    BlockProducer producer, Blockchain chain, TransactionPool mempool, ChainTiming timing, CommitClock commitClock, NodeMetrics metrics,
    IHostApplicationLifetime lifetime, ILogger<BlockProductionService> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var lastBlock = DateTimeOffset.UtcNow;
        var interval = TimeSpan.FromMilliseconds(timing.BlockIntervalMs);
        var fullBlock = chain.Genesis.Parameters.MaxBlockTransactions;
        logger.LogInformation("producing blocks every {Interval} ms as validator {Validator} from height {Height}",
            timing.BlockIntervalMs, producer.Proposer, chain.Head.Height + 1);
        while (!stopping.IsCancellationRequested)
        {
            var due = lastBlock + interval;
            while (DateTimeOffset.UtcNow < due && mempool.Count < fullBlock)
            {
                try { await Task.Delay(PollInterval, stopping); } catch (OperationCanceledException) { return; }
            }
            lastBlock = DateTimeOffset.UtcNow;
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                metrics.OnHeightStarted(chain.Head.Height + 1);
                var (block, _) = producer.ProduceBlock((ulong)lastBlock.ToUnixTimeMilliseconds());
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                metrics.OnBlockCommitted(block, chain.GetCommit(block.Height)!, elapsed);
                if (block.Transactions.Count > 0)
                    logger.LogInformation("block {Height}: {Count} transactions, produced and committed in {Ms:F1} ms, durable at {CommittedUnixMs} (Unix ms)",
                        block.Height, block.Transactions.Count, elapsed.TotalMilliseconds,
                        commitClock.UnixMsOf(block.Height)?.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) ?? "?");
                else
                    logger.LogDebug("block {Height}: empty", block.Height);
            }
            catch (Exception e)
            {
                logger.LogCritical(e, "block production failed at height {Height}; stopping the node", chain.Head.Height + 1);
                lifetime.StopApplication();
                return;
            }
        }
    }
}

/// <summary>The block interval in force (the genesis value unless overridden for a dev chain).</summary>
public sealed record ChainTiming(ulong BlockIntervalMs);
