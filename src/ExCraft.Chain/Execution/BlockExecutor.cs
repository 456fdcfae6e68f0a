using ExCraft.Chain.Modules.Staking;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Execution;

/// <summary>The result of running a block: included transactions, their receipts, block-level events (staking), the state changes.</summary>
public sealed record BlockExecution(IReadOnlyList<Transaction> Included, IReadOnlyList<Receipt> Receipts, IReadOnlyList<ChainEvent> BlockEvents, StateOverlay Changes);

/// <summary>
/// Runs transactions in order over the committed state. The proposer leaves out transactions
/// that turn out not to be includable (with the same sender's later ones); a block received from
/// elsewhere must not contain any, so the importer asks for a rejection to be an error.
/// </summary>
public sealed class BlockExecutor(TransactionExecutor executor)
{
    public BlockExecution Execute(IStateReader committed, BlockContext block, IEnumerable<(Transaction Tx, Address Sender)> transactions, bool skipRejected)
    {
        var overlay = new StateOverlay(committed);
        var accounts = new AccountState(overlay);
        var staking = new StakingState(overlay, executor.StakingParameters);
        var blockEvents = new List<ChainEvent>();
        StakingBlockHooks.BeginBlock(staking, block, blockEvents);
        var included = new List<Transaction>();
        var receipts = new List<Receipt>();
        var skippedSenders = new HashSet<Address>();
        foreach (var (tx, sender) in transactions)
        {
            if (skippedSenders.Contains(sender)) continue;
            try
            {
                receipts.Add(executor.Execute(accounts, tx, sender, block, included.Count));
                included.Add(tx);
            }
            catch (TransactionRejectedException) when (skipRejected)
            {
                skippedSenders.Add(sender);
            }
        }
        StakingBlockHooks.EndBlock(staking, block, blockEvents);
        return new BlockExecution(included, receipts, blockEvents, overlay);
    }
}
