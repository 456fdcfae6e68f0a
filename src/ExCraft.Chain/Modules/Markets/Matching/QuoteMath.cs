using System.Numerics;

namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// The engine's integer arithmetic. Quote amounts round down (the buyer never pays more than
/// price * size; the seller receives exactly what the buyer pays, so rounding moves no value).
/// Fees round up (in the protocol's favour) and never exceed the amount they are taken from.
/// </summary>
public static class QuoteMath
{
    /// <summary>floor(a * b / divisor), exact for any UInt128 inputs; throws if the result does not fit.</summary>
    public static UInt128 MulDiv(UInt128 a, UInt128 b, UInt128 divisor)
    {
        if (TryMultiply(a, b, out var product)) return product / divisor;
        // Rare wide case: exact through BigInteger (deterministic, just slower).
        var wide = (BigInteger)a * b / divisor;
        return wide <= (BigInteger)UInt128.MaxValue ? (UInt128)wide : throw new OverflowException("amount does not fit 128 bits");
    }

    /// <summary>a * b if it fits 128 bits, from 64-bit halves (no 128-bit division on the hot path).</summary>
    public static bool TryMultiply(UInt128 a, UInt128 b, out UInt128 product)
    {
        var aHigh = (ulong)(a >> 64);
        var bHigh = (ulong)(b >> 64);
        product = 0;
        if (aHigh != 0 && bHigh != 0) return false;
        var high = Math.BigMul((ulong)a, (ulong)b, out var low);
        if (aHigh != 0 || bHigh != 0)
        {
            // Exactly one cross term: high(a) * low(b) or low(a) * high(b); it must fit the upper 64 bits.
            var crossHigh = aHigh != 0 ? Math.BigMul(aHigh, (ulong)b, out var crossLow) : Math.BigMul((ulong)a, bHigh, out crossLow);
            if (crossHigh != 0) return false;
            var sum = high + crossLow;
            if (sum < high) return false;
            high = sum;
        }
        product = new UInt128(high, low);
        return true;
    }

    /// <summary>Quote base units for <paramref name="size"/> base units at <paramref name="price"/>, rounded down.</summary>
    public static UInt128 Quote(UInt128 price, UInt128 size, UInt128 priceScale) => MulDiv(price, size, priceScale);

    /// <summary>ceil(amount * ppm / 1,000,000); at most <paramref name="amount"/> since ppm is at most 1,000,000.</summary>
    public static UInt128 Fee(UInt128 amount, uint ppm)
    {
        if (ppm == 0 || amount == 0) return 0;
        if (TryMultiply(amount, ppm, out var product))
        {
            var fee = product / MarketRules.PpmDenominator;
            return product % MarketRules.PpmDenominator == 0 ? fee : fee + 1;
        }
        var quotient = BigInteger.DivRem((BigInteger)amount * ppm, MarketRules.PpmDenominator, out var remainder);
        return (UInt128)(remainder.IsZero ? quotient : quotient + 1);
    }

    /// <summary>
    /// The most lots of <paramref name="lotSize"/> base units a buyer can take at <paramref name="price"/>
    /// without its rounded-down quote exceeding <paramref name="budget"/>: the largest k with
    /// floor(price * k * lotSize / scale) &lt;= budget, i.e. k = ((budget + 1) * scale - 1) / (price * lotSize).
    /// </summary>
    public static ulong AffordableLots(UInt128 budget, UInt128 price, UInt128 lotSize, UInt128 priceScale)
    {
        var numerator = ((BigInteger)budget + 1) * priceScale - 1;
        var lots = numerator / ((BigInteger)price * lotSize);
        return lots > ulong.MaxValue ? ulong.MaxValue : (ulong)lots;
    }
}
