using ExCraft.Core.Blocks;
using ExCraft.Chain.Execution;

namespace ExCraft.Node;

/// <summary>
/// When the last block became durable, by the wall clock (Unix ms with a fraction): taken by the
/// first subscriber of <see cref="ExCraft.Chain.Blockchain.Committed"/>, so before any stream
/// (newHeads, the market streams) is told of the block. The block log line prints it, and the
/// e2e benchmarks, on the same machine and clock, measure "commit -> client" from it.
/// </summary>
public sealed class CommitClock
{
    private (ulong Height, double UnixMs) _last;

    public void OnCommitted(Block block, IReadOnlyList<Receipt> receipts)
    {
        var now = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        lock (this) _last = (block.Height, now);
    }

    /// <summary>The commit time of the block at this height, if it is the last one committed.</summary>
    public double? UnixMsOf(ulong height)
    {
        lock (this) return _last.Height == height ? _last.UnixMs : null;
    }
}
