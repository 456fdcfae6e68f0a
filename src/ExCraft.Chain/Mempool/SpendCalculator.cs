using ExCraft.Chain.Modules;
using ExCraft.Chain.State;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>
/// What a transaction may take from its sender, per asset: the fee in EXT (unless another account
/// pays it: an agent's account) plus what its kind's handler declares against committed state
/// (which it reads only for facts that never change, so add and subtract agree).
/// </summary>
internal sealed class SpendCalculator(ModuleRegistry modules, IStateReader committedState)
{
    public IEnumerable<AssetAmount> Of(Transaction tx, bool senderPaysFee)
    {
        if (senderPaysFee) yield return new AssetAmount(AssetSymbol.Native, tx.Fee);
        if (modules.HandlerFor(tx.Kind) is not { } handler) yield break;
        foreach (var spend in handler.Spend(committedState, tx.Payload)) yield return spend;
    }

    /// <summary>Adds a spend (an entry's, computed once by <see cref="Of"/>) to a total.</summary>
    public static void Add(SortedDictionary<string, UInt128> spend, IEnumerable<AssetAmount> amounts)
    {
        foreach (var (asset, amount) in amounts)
        {
            spend.TryGetValue(asset, out var current);
            spend[asset] = checked(current + amount);
        }
    }

    /// <summary>Takes a transaction's spend back out of a total that includes it.</summary>
    public static void Subtract(SortedDictionary<string, UInt128> spend, IEnumerable<AssetAmount> amounts)
    {
        foreach (var (asset, amount) in amounts)
        {
            var left = spend[asset] - amount;
            if (left == 0) spend.Remove(asset);
            else spend[asset] = left;
        }
    }
}
