using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Accounts;

/// <summary>issue_asset (kind 2): creates a new asset whose whole supply goes to the sender, its issuer.</summary>
public sealed class IssueAssetHandler : TxHandler<IssueAssetPayload>
{
    protected override string? CheckStateless(IssueAssetPayload p)
    {
        if (!AssetSymbol.IsValid(p.Symbol, out var error)) return error;
        if (p.Decimals > AssetSymbol.MaxDecimals) return $"asset decimals must be at most {AssetSymbol.MaxDecimals}, got {p.Decimals}";
        return p.Supply == 0 ? "asset supply must be greater than zero" : null;
    }

    protected override IReadOnlyList<AssetAmount> Spend(IssueAssetPayload p) => [];

    protected override void Apply(TxContext c, IssueAssetPayload p)
    {
        if (c.Accounts.GetAsset(p.Symbol) is not null) throw new TransactionFailedException($"asset {p.Symbol} already exists");
        c.Accounts.PutAsset(new AssetInfo(p.Symbol, p.Decimals, p.Supply, c.Sender, c.Block.Height));
        c.Accounts.Credit(c.Sender, p.Symbol, p.Supply);
        c.Emit(ChainEvent.Of(AccountsModule.Events.AssetIssued, ("symbol", p.Symbol), ("issuer", c.Sender.ToString()),
            ("decimals", p.Decimals.ToString(CultureInfo.InvariantCulture)), ("supply", ChainEvent.Units(p.Supply))));
    }
}
