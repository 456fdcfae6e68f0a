using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Chain.Production;

/// <summary>
/// Builds, executes, signs and commits the next block from the mempool (the single-validator
/// path; the multi-validator consensus reuses the same execution). Transactions that turn out
/// not to be includable are left out, with their sender's later ones.
/// </summary>
public sealed class BlockProducer(Blockchain chain, TransactionPool mempool, TransactionExecutor executor, PrivateKey validatorKey)
{
    public Address Proposer { get; } = validatorKey.Address;

    public (Block Block, IReadOnlyList<Receipt> Receipts) ProduceBlock(ulong wallClockMs)
    {
        var head = chain.Head;
        var height = head.Height + 1;
        var parameters = chain.Genesis.Parameters;
        var candidates = mempool.SelectForBlock(parameters.MaxBlockTransactions, parameters.MaxBlockBytes);

        var overlay = new StateOverlay(chain.State);
        var accounts = new AccountState(overlay);
        var included = new List<Core.Transactions.Transaction>(candidates.Count);
        var receipts = new List<Receipt>(candidates.Count);
        var skippedSenders = new HashSet<Address>();
        foreach (var candidate in candidates)
        {
            if (skippedSenders.Contains(candidate.Sender)) continue;
            try
            {
                receipts.Add(executor.Execute(accounts, candidate.Transaction, candidate.Sender, Proposer, height, included.Count));
                included.Add(candidate.Transaction);
            }
            catch (TransactionRejectedException)
            {
                skippedSenders.Add(candidate.Sender);
            }
        }

        var header = new BlockHeader(chain.ChainId, height, Math.Max(wallClockMs, head.TimeMs + 1), head.BlockHash,
            Block.ComputeTransactionsRoot(included), head.AppHash, Proposer);
        var block = new Block(header, included, chain.GetCommit(head.Height) ?? Commit.Empty);
        var signature = validatorKey.Sign(Commit.SignBytes(chain.ChainId, height, 0, block.Hash));
        var commit = new Commit(height, 0, block.Hash, [new CommitSignature(Proposer, signature)]);
        chain.CommitBlock(block, commit, receipts, overlay, AppHash.Next(head.AppHash, overlay.Writes));

        var touched = candidates.Select(c => c.Sender).Distinct().ToList();
        mempool.OnBlockCommitted(included, touched);
        return (block, receipts);
    }
}
