using System.Numerics;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// The closing-price rule of SPEC 6, as a pure function of an epoch's market tallies (docs/poe.md,
/// "Closing prices"). A market (B, Q) trading at p means one whole B is worth p base units of Q.
/// For each asset A other than the reference R, in this order:
/// 1. Direct: of the markets A/R and R/A that had a qualifying trade this epoch, the one whose last
///    trade came last (highest observation number); its last price gives A's value.
/// 2. Intermediate: of the markets between A and some X (X not R) that traded this epoch where X
///    has a direct price this epoch, the one whose last A-X trade came last; A's value is that
///    price times X's direct value (exact rational, rounded down once at the end).
/// 3. Carried: A's latest earlier closing price.
/// 4. Unpriceable: price 0.
/// </summary>
public static class ClosingPriceRules
{
    /// <param name="reference">The reference asset (EXT) and its decimals.</param>
    /// <param name="assets">The assets to price, with their decimals.</param>
    /// <param name="markets">This epoch's market tallies; markets without trades are ignored.</param>
    /// <param name="earlier">An asset's latest earlier closing price and its epoch, if any.</param>
    public static IReadOnlyList<ClosingPrice> Compute(string reference, byte referenceDecimals, IReadOnlyDictionary<string, byte> assets,
        IReadOnlyList<MarketTally> markets, Func<string, (UInt128 Price, ulong Epoch)?> earlier)
    {
        var traded = markets.Where(m => m.Trades > 0 && m.LastPrice > 0).ToList();
        var referenceValue = BigInteger.Pow(10, referenceDecimals); // one whole reference token in its base units
        byte DecimalsOf(string asset) => asset == reference ? referenceDecimals : assets[asset];

        // Direct values (exact rationals), needed by step 2 for every asset before any is finished.
        var direct = new Dictionary<string, (BigInteger Num, BigInteger Den)>(StringComparer.Ordinal);
        foreach (var asset in assets.Keys.Where(a => a != reference))
        {
            var best = traded.Where(m => IsPair(m, asset, reference)).MaxBy(m => m.LastSequence);
            if (best is not null) direct[asset] = ValueThrough(best, asset, referenceValue, 1, DecimalsOf);
        }

        var result = new List<ClosingPrice>();
        foreach (var (asset, decimals) in assets.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (asset == reference)
            {
                result.Add(new ClosingPrice(asset, decimals, (UInt128)referenceValue, PriceSource.Reference, "", 0));
                continue;
            }
            if (direct.TryGetValue(asset, out var d))
            {
                result.Add(new ClosingPrice(asset, decimals, Floor(d), PriceSource.Direct, "", 0));
                continue;
            }
            var leg = traded.Where(m => (m.Base == asset || m.Quote == asset) && Other(m, asset) is var x && x != reference && direct.ContainsKey(x))
                .MaxBy(m => m.LastSequence);
            if (leg is not null)
            {
                var via = Other(leg, asset);
                var (num, den) = direct[via];
                result.Add(new ClosingPrice(asset, decimals, Floor(ValueThrough(leg, asset, num, den, DecimalsOf)), PriceSource.Intermediate, via, 0));
                continue;
            }
            result.Add(earlier(asset) is { } e && e.Price > 0
                ? new ClosingPrice(asset, decimals, e.Price, PriceSource.Carried, "", e.Epoch)
                : new ClosingPrice(asset, decimals, 0, PriceSource.Unpriceable, "", 0));
        }
        return result;
    }

    private static bool IsPair(MarketTally m, string a, string b) => (m.Base == a && m.Quote == b) || (m.Base == b && m.Quote == a);

    private static string Other(MarketTally m, string asset) => m.Base == asset ? m.Quote : m.Base;

    /// <summary>
    /// The value of one whole <paramref name="asset"/> from a market between it and another asset
    /// whose whole token is worth num/den reference base units. Base side: p (other's base units
    /// per whole asset) * value / 10^dec(other). Quote side: value * 10^dec(asset) / p.
    /// </summary>
    private static (BigInteger Num, BigInteger Den) ValueThrough(MarketTally m, string asset, BigInteger num, BigInteger den, Func<string, byte> decimals)
    {
        var p = (BigInteger)m.LastPrice;
        return m.Base == asset
            ? (p * num, den * BigInteger.Pow(10, decimals(m.Quote)))
            : (num * BigInteger.Pow(10, decimals(asset)), den * p);
    }

    /// <summary>Rounded down; a value beyond 128 bits (an absurd price) is capped at the maximum rather than wrapping.</summary>
    private static UInt128 Floor((BigInteger Num, BigInteger Den) v)
    {
        var q = v.Num / v.Den;
        return q > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)q;
    }
}
