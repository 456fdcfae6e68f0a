using System.Globalization;
using ExCraft.Chain.Modules.Staking;
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
public sealed class TransactionExecutor(GenesisConfig genesis)
{
    private readonly ulong chainId = genesis.ChainId;
    private readonly ChainParameters parameters = genesis.Parameters;
    private readonly StakingTransactions _staking = new(genesis.ChainId);

    public StakingParameters StakingParameters => genesis.Staking;

    /// <summary>Throws TransactionRejectedException when the transaction may not be included against this state.</summary>
    public void CheckIncludable(AccountState accounts, Transaction tx, Address sender)
    {
        CheckStateless(tx);
        var expected = accounts.GetNonce(sender);
        if (tx.Nonce < expected) throw new TransactionRejectedException(RejectReason.NonceTooLow, $"nonce too low: account {sender} is at nonce {expected}, transaction has {tx.Nonce}");
        if (tx.Nonce > expected) throw new TransactionRejectedException(RejectReason.NonceTooHigh, $"nonce gap: account {sender} is at nonce {expected}, transaction has {tx.Nonce}");
        var balance = accounts.GetBalance(sender, AssetSymbol.Native);
        if (balance < tx.Fee) throw new TransactionRejectedException(RejectReason.InsufficientFunds, $"insufficient EXT for the fee: {sender} has {balance} base units, fee is {tx.Fee}");
    }

    /// <summary>Checks that need no state: chain id, minimum fee, size and payload fields.</summary>
    public void CheckStateless(Transaction tx)
    {
        if (tx.ChainId != chainId) throw new TransactionRejectedException(RejectReason.WrongChain, $"wrong chain id {tx.ChainId}, this chain is {chainId}");
        if (tx.Encoded.Length > parameters.MaxTransactionBytes) throw new TransactionRejectedException(RejectReason.TooLarge, $"transaction is {tx.Encoded.Length} bytes, limit is {parameters.MaxTransactionBytes}");
        if (tx.Fee < parameters.MinFee) throw new TransactionRejectedException(RejectReason.FeeTooLow, $"fee {tx.Fee} is below the minimum {parameters.MinFee} base units");
        if (tx.Payload.CheckStateless() is { } error) throw new TransactionRejectedException(RejectReason.Malformed, error);
    }

    /// <summary>Executes an includable transaction and returns its receipt.</summary>
    public Receipt Execute(AccountState accounts, Transaction tx, Address sender, BlockContext block, int index)
    {
        var height = block.Height;
        CheckIncludable(accounts, tx, sender);
        accounts.Debit(sender, AssetSymbol.Native, tx.Fee);
        accounts.Credit(block.Proposer, AssetSymbol.Native, tx.Fee);
        accounts.SetNonce(sender, tx.Nonce + 1);

        var overlay = new StateOverlay(accounts.Overlay);
        var txAccounts = new AccountState(overlay);
        var events = new List<ChainEvent>();
        try
        {
            if (_staking.Handles(tx.Payload)) _staking.Apply(new StakingState(overlay, genesis.Staking), tx.Payload, sender, block, events);
            else ApplyPayload(txAccounts, tx.Payload, sender, height, events);
        }
        catch (Exception e) when (e is TransactionFailedException or InsufficientFundsException or OverflowException)
        {
            return new Receipt(tx.Hash, height, index, sender, false, tx.Fee, e.Message, []);
        }
        overlay.MergeInto(accounts.Overlay);
        return new Receipt(tx.Hash, height, index, sender, true, tx.Fee, "", events);
    }

    private static void ApplyPayload(AccountState accounts, TxPayload payload, Address sender, ulong height, List<ChainEvent> events)
    {
        switch (payload)
        {
            case TransferPayload transfer:
                if (accounts.GetAsset(transfer.Asset) is null) throw new TransactionFailedException($"unknown asset {transfer.Asset}");
                accounts.Debit(sender, transfer.Asset, transfer.Amount);
                accounts.Credit(transfer.To, transfer.Asset, transfer.Amount);
                events.Add(ChainEvent.Of("transfer", ("from", sender.ToString()), ("to", transfer.To.ToString()), ("asset", transfer.Asset), ("amount", ChainEvent.Units(transfer.Amount))));
                break;
            case IssueAssetPayload issue:
                if (accounts.GetAsset(issue.Symbol) is not null) throw new TransactionFailedException($"asset {issue.Symbol} already exists");
                accounts.PutAsset(new AssetInfo(issue.Symbol, issue.Decimals, issue.Supply, sender, height));
                accounts.Credit(sender, issue.Symbol, issue.Supply);
                events.Add(ChainEvent.Of("asset_issued", ("symbol", issue.Symbol), ("issuer", sender.ToString()), ("decimals", issue.Decimals.ToString(CultureInfo.InvariantCulture)), ("supply", ChainEvent.Units(issue.Supply))));
                break;
            case RegisterPayload:
                if (accounts.IsRegistered(sender)) throw new TransactionFailedException($"account {sender} is already registered");
                accounts.SetRegistered(sender);
                events.Add(ChainEvent.Of("registered", ("account", sender.ToString())));
                break;
            default:
                throw new TransactionFailedException($"transaction kind {payload.Kind} is not supported");
        }
    }
}
