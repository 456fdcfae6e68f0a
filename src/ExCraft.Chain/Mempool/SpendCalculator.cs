using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>What a transaction may take from its sender, per asset: the fee in EXT plus any amount transferred or bonded.</summary>
internal static class SpendCalculator
{
    public static IEnumerable<(string Asset, UInt128 Amount)> Of(Transaction tx)
    {
        yield return (AssetSymbol.Native, tx.Fee);
        switch (tx.Payload)
        {
            case TransferPayload transfer: yield return (transfer.Asset, transfer.Amount); break;
            case DelegatePayload delegation: yield return (AssetSymbol.Native, delegation.Amount); break;
            case CreateValidatorPayload validator: yield return (AssetSymbol.Native, validator.SelfBond); break;
        }
    }

    public static void Add(SortedDictionary<string, UInt128> spend, Transaction tx)
    {
        foreach (var (asset, amount) in Of(tx))
        {
            spend.TryGetValue(asset, out var current);
            spend[asset] = checked(current + amount);
        }
    }

    /// <summary>Takes a transaction's spend back out of a total that includes it.</summary>
    public static void Subtract(SortedDictionary<string, UInt128> spend, Transaction tx)
    {
        foreach (var (asset, amount) in Of(tx))
        {
            var left = spend[asset] - amount;
            if (left == 0) spend.Remove(asset);
            else spend[asset] = left;
        }
    }
}
