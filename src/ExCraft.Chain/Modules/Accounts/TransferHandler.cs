using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Accounts;

/// <summary>transfer (kind 1): moves an amount of an existing asset from the sender to another account.</summary>
public sealed class TransferHandler : TxHandler<TransferPayload>
{
    protected override string? CheckStateless(TransferPayload p)
    {
        if (!AssetSymbol.IsValid(p.Asset, out var error)) return error;
        return p.Amount == 0 ? "transfer amount must be greater than zero" : null;
    }

    protected override IReadOnlyList<AssetAmount> Spend(TransferPayload p) => [new(p.Asset, p.Amount)];

    protected override void Apply(TxContext c, TransferPayload p)
    {
        if (c.Accounts.GetAsset(p.Asset) is null) throw new TransactionFailedException($"unknown asset {p.Asset}");
        c.Accounts.Debit(c.Sender, p.Asset, p.Amount);
        c.Accounts.Credit(p.To, p.Asset, p.Amount);
        c.Emit(ChainEvent.Of(AccountsModule.Events.Transfer, ("from", c.Sender.ToString()), ("to", p.To.ToString()), ("asset", p.Asset), ("amount", ChainEvent.Units(p.Amount))));
    }
}
