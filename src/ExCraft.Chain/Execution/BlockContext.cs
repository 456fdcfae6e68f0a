using ExCraft.Core;
using ExCraft.Core.Blocks;

namespace ExCraft.Chain.Execution;

/// <summary>What execution may know of the block it runs in: height, time, proposer and the previous block's commit.</summary>
public sealed record BlockContext(ulong Height, ulong TimeMs, Address Proposer, Commit LastCommit);
