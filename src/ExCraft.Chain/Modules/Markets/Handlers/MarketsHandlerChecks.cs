using ExCraft.Chain.Execution;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets.Handlers;

/// <summary>Checks the market handlers share.</summary>
internal static class MarketsHandlerChecks
{
    public static string? Pair(string baseAsset, string quoteAsset)
    {
        if (!AssetSymbol.IsValid(baseAsset, out var error) || !AssetSymbol.IsValid(quoteAsset, out error)) return error;
        return baseAsset == quoteAsset ? $"market base and quote are both {baseAsset}" : null;
    }

    public static MarketRecord Listed(MarketsState markets, string baseAsset, string quoteAsset) =>
        markets.GetMarket(baseAsset, quoteAsset) ?? throw new TransactionFailedException($"unknown market {MarketPairs.Name(baseAsset, quoteAsset)}");

    public static void Authority(TxContext c)
    {
        var authority = MarketsState.ReadAuthority(c.State);
        if (authority == Address.Zero) throw new TransactionFailedException("the markets module has no governance authority");
        if (c.Sender != authority) throw new TransactionFailedException($"only the markets authority {authority} may do this");
    }
}
