using ExCraft.Chain.Modules;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Execution;

/// <summary>The result of running a block: included transactions, their receipts, block-level events (module hooks), the state changes.</summary>
public sealed record BlockExecution(IReadOnlyList<Transaction> Included, IReadOnlyList<Receipt> Receipts, IReadOnlyList<ChainEvent> BlockEvents, StateOverlay Changes);

/// <summary>
/// Runs a block over the committed state: the epoch is located once for every module, then the
/// modules' begin-block hooks, the transactions in order, the end-block hooks and, in an epoch's
/// last block, the epoch-end hooks after the clock has moved on. The proposer leaves out
/// transactions that turn out not to be includable (with the same sender's later ones); a block
/// received from elsewhere must not contain any, so the importer asks for a rejection to be an error.
/// </summary>
public sealed class BlockExecutor(TransactionExecutor executor)
{
    public BlockExecution Execute(IStateReader committed, BlockContext block, IEnumerable<(Transaction Tx, Address Sender)> transactions, bool skipRejected)
    {
        var overlay = new StateOverlay(new BlockReadCache(committed)); // committed values read once per block
        var (epoch, endsEpoch) = executor.Epochs.Locate(overlay, block.TimeMs);
        block = block with { Epoch = epoch, EndsEpoch = endsEpoch };
        var accounts = new AccountState(overlay);
        var blockEvents = new List<ChainEvent>();
        var hooks = new BlockHookContext(overlay, block, blockEvents);
        executor.Modules.BeginBlock(hooks);
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
        executor.Modules.EndBlock(hooks);
        if (endsEpoch)
        {
            EpochClock.Advance(overlay, epoch, block.TimeMs);
            executor.Modules.EpochEnd(hooks);
        }
        return new BlockExecution(included, receipts, blockEvents, overlay);
    }
}
