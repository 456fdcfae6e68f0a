using ExCraft.Core;
using ExCraft.Core.Blocks;

namespace ExCraft.Chain.Execution;

/// <summary>
/// What execution may know of the block it runs in: height, time, proposer and the previous
/// block's commit; and, set by the block executor from the chain's epoch clock, the epoch the
/// block is in and whether it is the epoch's last block.
/// </summary>
public sealed record BlockContext(ulong Height, ulong TimeMs, Address Proposer, Commit LastCommit)
{
    public ulong Epoch { get; init; }

    public bool EndsEpoch { get; init; }
}
