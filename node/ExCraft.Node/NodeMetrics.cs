using System.Globalization;
using System.Text;
using ExCraft.Chain;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Core;
using ExCraft.Core.Blocks;

namespace ExCraft.Node;

/// <summary>
/// Prometheus metrics at GET /metrics: height, round, block interval, missed blocks per
/// validator, peers, mempool, committed transactions, sync state, garbage collections and allocation.
/// </summary>
public sealed class NodeMetrics(Blockchain chain, TransactionPool mempool)
{
    private readonly object _lock = new();
    private readonly SortedDictionary<Address, long> _missed = [];
    private long _committedTransactions;
    private long _committedBlocks;
    private double _lastIntervalSeconds;
    private double _lastCommitSeconds;
    private ulong _lastBlockTimeMs;
    private ulong _workingHeight;

    public Func<int> PeerCount { get; set; } = () => 0;
    public Func<int> Round { get; set; } = () => 0;
    public bool Syncing { get; set; }

    public void OnHeightStarted(ulong height)
    {
        lock (_lock) _workingHeight = height;
    }

    /// <summary>Counts a committed block: its transactions, the interval since the previous one, and which validators did not sign it.</summary>
    public void OnBlockCommitted(Block block, Commit commit, TimeSpan commitTime)
    {
        var set = StakingState.ReadSetForLastCommit(chain.State, chain.Head.Height + 1);
        lock (_lock)
        {
            _committedBlocks++;
            _committedTransactions += block.Transactions.Count;
            if (_lastBlockTimeMs > 0) _lastIntervalSeconds = (block.Header.TimeMs - _lastBlockTimeMs) / 1000.0;
            _lastBlockTimeMs = block.Header.TimeMs;
            _lastCommitSeconds = commitTime.TotalSeconds;
            var signers = commit.Signatures.Select(s => s.Validator).ToHashSet();
            foreach (var v in set.Validators)
            {
                _missed.TryAdd(v.ConsensusAddress, 0);
                if (!signers.Contains(v.ConsensusAddress)) _missed[v.ConsensusAddress]++;
            }
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        void Metric(string name, string help, string type, IEnumerable<(string Labels, double Value)> values)
        {
            text.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
            text.Append("# TYPE ").Append(name).Append(' ').AppendLine(type);
            foreach (var (labels, value) in values) text.Append(name).Append(labels).Append(' ').AppendLine(value.ToString(CultureInfo.InvariantCulture));
        }
        lock (_lock)
        {
            Metric("excraft_height", "Height of the last committed block", "gauge", [("", chain.Head.Height)]);
            Metric("excraft_consensus_height", "Height consensus is working on", "gauge", [("", _workingHeight)]);
            Metric("excraft_consensus_round", "Current consensus round", "gauge", [("", Round())]);
            Metric("excraft_block_interval_seconds", "Time between the last two blocks (block time)", "gauge", [("", _lastIntervalSeconds)]);
            Metric("excraft_block_commit_seconds", "Time to commit the last block", "gauge", [("", _lastCommitSeconds)]);
            Metric("excraft_blocks_committed_total", "Blocks committed by this process", "counter", [("", _committedBlocks)]);
            Metric("excraft_transactions_committed_total", "Transactions committed by this process", "counter", [("", _committedTransactions)]);
            Metric("excraft_validator_missed_blocks_total", "Blocks a validator did not sign, seen by this process", "counter",
                _missed.Select(m => ($"{{validator=\"{m.Key}\"}}", (double)m.Value)));
            Metric("excraft_peers", "Connected peers", "gauge", [("", PeerCount())]);
            Metric("excraft_mempool_transactions", "Transactions in the mempool", "gauge", [("", mempool.Count)]);
            Metric("excraft_mempool_bytes", "Bytes of transactions in the mempool", "gauge", [("", mempool.Bytes)]);
            Metric("excraft_syncing", "1 while catching up with peers", "gauge", [("", Syncing ? 1 : 0)]);
            // The runtime's own figures: a node that allocates per transaction pays for it in collections (docs/BENCHMARKS.md e2e-orders).
            Metric("excraft_gc_collections_total", "Garbage collections since the process started, by generation", "counter",
                Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => ($"{{generation=\"{g}\"}}", (double)GC.CollectionCount(g))));
            Metric("excraft_gc_pause_seconds_total", "Time the process was paused for garbage collection", "counter", [("", GC.GetTotalPauseDuration().TotalSeconds)]);
            Metric("excraft_allocated_bytes_total", "Bytes allocated by all threads since the process started", "counter", [("", GC.GetTotalAllocatedBytes())]);
        }
        return text.ToString();
    }
}
