using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>What a transaction may take from its sender, per asset: the fee in EXT plus any transferred amount.</summary>
internal static class SpendCalculator
{
    public static void Add(SortedDictionary<string, UInt128> spend, Transaction tx)
    {
        AddTo(spend, AssetSymbol.Native, tx.Fee);
        if (tx.Payload is TransferPayload transfer) AddTo(spend, transfer.Asset, transfer.Amount);
    }

    private static void AddTo(SortedDictionary<string, UInt128> spend, string asset, UInt128 amount)
    {
        spend.TryGetValue(asset, out var current);
        spend[asset] = checked(current + amount);
    }
}
