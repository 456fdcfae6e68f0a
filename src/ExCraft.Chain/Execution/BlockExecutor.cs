using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Execution;

/// <summary>The result of running a block's transactions: included ones, their receipts, the state changes.</summary>
public sealed record BlockExecution(IReadOnlyList<Transaction> Included, IReadOnlyList<Receipt> Receipts, StateOverlay Changes);

/// <summary>
/// Runs transactions in order over the committed state. The proposer leaves out transactions
/// that turn out not to be includable (with the same sender's later ones); a block received from
/// elsewhere must not contain any, so the importer asks for a rejection to be an error.
/// </summary>
public sealed class BlockExecutor(TransactionExecutor executor)
{
    public BlockExecution Execute(IStateReader committed, ulong height, Address proposer, IEnumerable<(Transaction Tx, Address Sender)> transactions, bool skipRejected)
    {
        var overlay = new StateOverlay(committed);
        var accounts = new AccountState(overlay);
        var included = new List<Transaction>();
        var receipts = new List<Receipt>();
        var skippedSenders = new HashSet<Address>();
        foreach (var (tx, sender) in transactions)
        {
            if (skippedSenders.Contains(sender)) continue;
            try
            {
                receipts.Add(executor.Execute(accounts, tx, sender, proposer, height, included.Count));
                included.Add(tx);
            }
            catch (TransactionRejectedException) when (skipRejected)
            {
                skippedSenders.Add(sender);
            }
        }
        return new BlockExecution(included, receipts, overlay);
    }
}
