using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>What a transaction may take from its sender, per asset: the fee in EXT plus any amount transferred or bonded.</summary>
internal static class SpendCalculator
{
    public static void Add(SortedDictionary<string, UInt128> spend, Transaction tx)
    {
        AddTo(spend, AssetSymbol.Native, tx.Fee);
        switch (tx.Payload)
        {
            case TransferPayload transfer: AddTo(spend, transfer.Asset, transfer.Amount); break;
            case DelegatePayload delegation: AddTo(spend, AssetSymbol.Native, delegation.Amount); break;
            case CreateValidatorPayload validator: AddTo(spend, AssetSymbol.Native, validator.SelfBond); break;
        }
    }

    private static void AddTo(SortedDictionary<string, UInt128> spend, string asset, UInt128 amount)
    {
        spend.TryGetValue(asset, out var current);
        spend[asset] = checked(current + amount);
    }
}
