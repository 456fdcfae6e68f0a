using System.Numerics;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// An epoch's close (docs/poe.md): closing prices from the epoch's market tallies, each account's
/// PoE and fees valued at them, the rewards, and the report: entries by masked id at consecutive
/// positions, an index by address, the Merkle root in the summary. The open tallies are then
/// deleted (the report replaces them); the market tallies stay as the report's per-market part.
/// </summary>
public static class PoeEpochClose
{
    public static PoeReportSummary Run(StateOverlay state, ulong epoch, PoeParameters parameters, UInt128 available)
    {
        var prices = ComputePrices(state, epoch, parameters);
        foreach (var price in prices)
        {
            PoeState.WriteClosingPrice(state, epoch, price);
            if (price.Source is PriceSource.Direct or PriceSource.Intermediate) PoeState.WriteLatestPrice(state, price.Asset, price.Price, epoch);
        }
        var byAsset = prices.ToDictionary(p => p.Asset, StringComparer.Ordinal);

        var lines = PoeState.ReadAccountTallies(state, epoch).Select(x => new
        {
            x.Account,
            x.Tally,
            Poe = ValueOf(x.Tally.Quantities, byAsset),
            Fees = ValueOf(x.Tally.Fees, byAsset),
            Registered = AccountState.ReadRegistered(state, x.Account),
            Masked = PoeEntry.Mask(x.Account, epoch),
        }).ToList();
        lines.Sort((a, b) => a.Masked.AsSpan().SequenceCompareTo(b.Masked));

        var split = PoeRewards.Compute(lines.Select(l => (l.Poe, l.Registered, l.Fees)).ToList(), available, parameters.WashCapPpm);
        var leaves = new List<byte[]>(lines.Count);
        BigInteger totalPoe = 0;
        ulong rewarded = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var entry = new PoeEntry(l.Masked, l.Poe, l.Tally.Buys, l.Tally.Sells, l.Registered, l.Fees, split.Rewards[i]);
            var encoded = entry.Encode(); // once: it is both the stored value and the leaf's content
            state.Set(PoeKeys.Entry(epoch, (ulong)i), encoded);
            PoeState.WriteIndex(state, epoch, l.Account, new PoeIndex((ulong)i, l.Poe, entry.Reward));
            state.Delete(PoeKeys.AccountTally(epoch, l.Account));
            leaves.Add(PoeMerkle.Leaf(encoded));
            totalPoe += l.Poe;
            if (entry.Reward > 0) rewarded++;
        }
        var summary = new PoeReportSummary(epoch, PoeMerkle.Root(leaves), (ulong)lines.Count, available, parameters.WashCapPpm, split.EligiblePoe,
            Saturate(totalPoe), split.Paid, split.HeldByGuard, rewarded);
        PoeState.WriteSummary(state, summary);
        return summary;
    }

    /// <summary>Prices every asset of a listed market (and the reference), so idle listed assets show their carried price too.</summary>
    private static IReadOnlyList<ClosingPrice> ComputePrices(IStateReader state, ulong epoch, PoeParameters parameters)
    {
        var reference = AccountState.ReadAsset(state, parameters.ReferenceAsset)
            ?? throw new InvalidOperationException($"the PoE reference asset {parameters.ReferenceAsset} does not exist");
        var tallies = PoeState.ReadMarketTallies(state, epoch);
        var symbols = new SortedSet<string>(StringComparer.Ordinal) { reference.Symbol };
        foreach (var m in MarketsState.ReadMarkets(state)) { symbols.Add(m.Base); symbols.Add(m.Quote); }
        foreach (var m in tallies) { symbols.Add(m.Base); symbols.Add(m.Quote); }
        var decimals = symbols.ToDictionary(s => s, s => (AccountState.ReadAsset(state, s) ?? throw new InvalidOperationException($"traded asset {s} does not exist")).Decimals,
            StringComparer.Ordinal);
        return ClosingPriceRules.Compute(reference.Symbol, reference.Decimals, decimals, tallies, asset => PoeState.ReadLatestPrice(state, asset));
    }

    /// <summary>Sum over assets of floor(amount * price / 10^decimals); an asset without a closing price counts 0.</summary>
    public static UInt128 ValueOf(IReadOnlyDictionary<string, UInt128> amounts, IReadOnlyDictionary<string, ClosingPrice> prices)
    {
        // The usual case in 128-bit integers (no BigInteger per account at the epoch end): exact
        // while each factor fits 64 bits and the sum does not overflow; otherwise the general sum.
        UInt128 fast = 0;
        foreach (var (asset, amount) in amounts)
        {
            if (!prices.TryGetValue(asset, out var price)) continue;
            if (amount > ulong.MaxValue || price.Price > ulong.MaxValue || price.Decimals > 38) return ValueOfExact(amounts, prices);
            var value = amount * price.Price / UInt128Pow10(price.Decimals);
            if (value > UInt128.MaxValue - fast) return ValueOfExact(amounts, prices);
            fast += value;
        }
        return fast;
    }

    private static UInt128 ValueOfExact(IReadOnlyDictionary<string, UInt128> amounts, IReadOnlyDictionary<string, ClosingPrice> prices)
    {
        BigInteger total = 0;
        foreach (var (asset, amount) in amounts)
        {
            if (prices.TryGetValue(asset, out var price)) total += price.Value(amount);
        }
        return Saturate(total);
    }

    private static readonly UInt128[] Powers10 = Enumerable.Range(0, 39).Select(e => Enumerable.Repeat((UInt128)10, e).Aggregate(UInt128.One, (p, x) => p * x)).ToArray();

    private static UInt128 UInt128Pow10(byte exponent) => Powers10[exponent];

    private static UInt128 Saturate(BigInteger value) => value > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)value;
}
