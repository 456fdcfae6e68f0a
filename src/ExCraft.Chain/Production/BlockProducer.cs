using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Chain.Production;

/// <summary>
/// Builds the next block from the mempool (a proposal, for consensus), and in single-validator
/// mode also signs and commits it at once.
/// </summary>
public sealed class BlockProducer(Blockchain chain, TransactionPool mempool, BlockExecutor executor, PrivateKey validatorKey)
{
    public Address Proposer { get; } = validatorKey.Address;

    /// <summary>A block on top of the head, executed but not written: transactions by fee, the non-includable left out.</summary>
    public (Block Block, BlockExecution Execution) BuildProposal(ulong wallClockMs)
    {
        var head = chain.Head;
        var height = head.Height + 1;
        var parameters = chain.Genesis.Parameters;
        var candidates = mempool.SelectForBlock(parameters.MaxBlockTransactions, parameters.MaxBlockBytes);
        var time = Math.Max(wallClockMs, head.TimeMs + 1);
        var lastCommit = chain.GetCommit(head.Height) ?? Commit.Empty;
        var execution = executor.Execute(chain.State, new BlockContext(height, time, Proposer, lastCommit), candidates.Select(c => (c.Transaction, c.Sender)), skipRejected: true);
        var header = new BlockHeader(chain.ChainId, height, time, head.BlockHash, lastCommit.Hash(), Block.ComputeTransactionsRoot(execution.Included), head.AppHash, Proposer);
        return (new Block(header, execution.Included, lastCommit), execution);
    }

    /// <summary>Single-validator mode: build, sign the commit alone and commit.</summary>
    public (Block Block, IReadOnlyList<Receipt> Receipts) ProduceBlock(ulong wallClockMs)
    {
        var head = chain.Head;
        var (block, execution) = BuildProposal(wallClockMs);
        var signature = validatorKey.Sign(Commit.SignBytes(chain.ChainId, block.Height, 0, block.Hash));
        var commit = new Commit(block.Height, 0, block.Hash, [new CommitSignature(Proposer, signature)]);
        chain.CommitBlock(block, commit, execution, AppHash.Next(head.AppHash, execution.Changes.Writes));
        mempool.OnBlockCommitted(execution);
        return (block, execution.Receipts);
    }
}
