using ExCraft.Chain.Modules;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Execution;

/// <summary>
/// Applies one transaction to state. Inclusion checks come first (chain, nonce, fee); then the
/// fee is paid to the block's proposer and the nonce advances; then the payload runs in its own
/// overlay, which is merged only if it succeeds.
/// </summary>
public sealed class TransactionExecutor(GenesisConfig genesis, ModuleRegistry? modules = null)
{
    private readonly ulong chainId = genesis.ChainId;
    private readonly ChainParameters parameters = genesis.Parameters;

    public ModuleRegistry Modules { get; } = modules ?? ModuleRegistry.Standard(genesis);

    public EpochClock Epochs { get; } = new(genesis.Staking.EpochLengthMs);

    /// <summary>The handler of a transaction's kind; a kind no module handles may not be included.</summary>
    public ITxHandler HandlerOf(Transaction tx) =>
        Modules.HandlerFor(tx.Kind) ?? throw new TransactionRejectedException(RejectReason.Malformed, $"transaction kind {tx.Payload.Name} is not handled by any module");

    /// <summary>
    /// Throws TransactionRejectedException when the transaction may not be included against this
    /// state; returns who pays its fee (the sender, or an agent key's authorizing account).
    /// </summary>
    public Address CheckIncludable(AccountState accounts, Transaction tx, Address sender, ulong height)
    {
        CheckStateless(tx);
        var expected = accounts.GetNonce(sender);
        if (tx.Nonce < expected) throw new TransactionRejectedException(RejectReason.NonceTooLow, $"nonce too low: account {sender} is at nonce {expected}, transaction has {tx.Nonce}");
        if (tx.Nonce > expected) throw new TransactionRejectedException(RejectReason.NonceTooHigh, $"nonce gap: account {sender} is at nonce {expected}, transaction has {tx.Nonce}");
        var payer = HandlerOf(tx).FeePayer(accounts.Overlay, tx.Payload, sender, height);
        var balance = accounts.GetBalance(payer, AssetSymbol.Native);
        if (balance < tx.Fee) throw new TransactionRejectedException(RejectReason.InsufficientFunds, $"insufficient EXT for the fee: {payer} has {balance} base units, fee is {tx.Fee}");
        return payer;
    }

    /// <summary>Checks that need no state: chain id, minimum fee, size and payload fields.</summary>
    public void CheckStateless(Transaction tx)
    {
        if (tx.ChainId != chainId) throw new TransactionRejectedException(RejectReason.WrongChain, $"wrong chain id {tx.ChainId}, this chain is {chainId}");
        if (tx.Encoded.Length > parameters.MaxTransactionBytes) throw new TransactionRejectedException(RejectReason.TooLarge, $"transaction is {tx.Encoded.Length} bytes, limit is {parameters.MaxTransactionBytes}");
        if (tx.Fee < parameters.MinFee) throw new TransactionRejectedException(RejectReason.FeeTooLow, $"fee {tx.Fee} is below the minimum {parameters.MinFee} base units");
        if (HandlerOf(tx).CheckStateless(tx.Payload) is { } error) throw new TransactionRejectedException(RejectReason.Malformed, error);
    }

    /// <summary>Executes an includable transaction and returns its receipt.</summary>
    public Receipt Execute(AccountState accounts, Transaction tx, Address sender, BlockContext block, int index)
    {
        var height = block.Height;
        var payer = CheckIncludable(accounts, tx, sender, height);
        accounts.Debit(payer, AssetSymbol.Native, tx.Fee);
        accounts.Credit(block.Proposer, AssetSymbol.Native, tx.Fee);
        accounts.SetNonce(sender, tx.Nonce + 1);

        var overlay = new StateOverlay(accounts.Overlay);
        var events = new List<ChainEvent>();
        try
        {
            HandlerOf(tx).Apply(new TxContext(overlay, sender, block, events), tx.Payload);
        }
        catch (Exception e) when (e is TransactionFailedException or InsufficientFundsException or OverflowException)
        {
            return new Receipt(tx.Hash, height, index, sender, false, tx.Fee, e.Message, []);
        }
        overlay.MergeInto(accounts.Overlay);
        return new Receipt(tx.Hash, height, index, sender, true, tx.Fee, "", events);
    }
}
