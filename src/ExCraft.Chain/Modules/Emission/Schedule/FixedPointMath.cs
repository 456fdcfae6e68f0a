using System.Numerics;

namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>
/// Natural logarithm and exponential on binary fixed-point numbers: a BigInteger v stands for
/// v / 2^fractionBits. Only integer operations are used (shifts, multiplications, truncating
/// divisions), so every platform computes the same bits; the emission schedule relies on that.
/// Each series runs until its next term is zero at the working precision, so the number of steps
/// is itself a deterministic function of the input.
/// </summary>
public static class FixedPointMath
{
    /// <summary>ln(numerator / denominator) for positive integers, as a fixed-point number.</summary>
    public static BigInteger Ln(BigInteger numerator, BigInteger denominator, int fractionBits)
    {
        if (numerator.Sign <= 0 || denominator.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(numerator), "ln needs a positive ratio");
        CheckBits(fractionBits);

        // q = m * 2^k with m in [sqrt(1/2), sqrt(2)): the atanh series below then converges by
        // more than 5 bits a term. k starts from the bit lengths and is corrected by comparisons
        // of integers (m >= sqrt(1/2) <=> 2 * num^2 >= den'^2), so no rounding decides it.
        var k = (long)numerator.GetBitLength() - (long)denominator.GetBitLength();
        BigInteger Num() => k >= 0 ? numerator : numerator << (int)-k;
        BigInteger Den() => k >= 0 ? denominator << (int)k : denominator;
        while (2 * Num() * Num() >= 4 * Den() * Den()) k++; // m >= sqrt(2)
        while (2 * Num() * Num() < Den() * Den()) k--;      // m <  sqrt(1/2)
        var n = Num();
        var d = Den();

        // ln(m) = 2 * atanh(z), z = (m - 1) / (m + 1) = (n - d) / (n + d). The series runs on |z|
        // because a right shift of a negative BigInteger rounds towards minus infinity and would
        // never reach zero; atanh is odd, so the sign is put back afterwards.
        var atanh = AtanhSeries((BigInteger.Abs(n - d) << fractionBits) / (n + d), fractionBits);
        return (n < d ? -2 * atanh : 2 * atanh) + k * Ln2(fractionBits);
    }

    /// <summary>atanh(z) = z + z^3/3 + z^5/5 + ... for a fixed-point 0 &lt;= z &lt; 1, until the next term is zero.</summary>
    private static BigInteger AtanhSeries(BigInteger z, int fractionBits)
    {
        var z2 = (z * z) >> fractionBits;
        var power = z;
        var sum = BigInteger.Zero;
        for (var odd = 1; !power.IsZero; odd += 2)
        {
            sum += power / odd;
            power = (power * z2) >> fractionBits;
        }
        return sum;
    }

    /// <summary>e^(-v) for a non-negative fixed-point v.</summary>
    public static BigInteger ExpNegative(BigInteger v, int fractionBits)
    {
        if (v.Sign < 0) throw new ArgumentOutOfRangeException(nameof(v), "ExpNegative takes v >= 0");
        CheckBits(fractionBits);

        // v = k * ln2 + r with 0 <= r < ln2, so e^-v = 2^-k / e^r and the Taylor series of e^r
        // has only positive terms (no cancellation).
        var ln2 = Ln2(fractionBits);
        var k = v / ln2;
        if (k > fractionBits) return BigInteger.Zero; // below 2^-fractionBits
        var r = v - k * ln2;
        var one = BigInteger.One << fractionBits;
        var term = one;
        var expR = BigInteger.Zero;
        for (var i = 1; !term.IsZero; i++)
        {
            expR += term;
            term = ((term * r) >> fractionBits) / i;
        }
        return ((one << fractionBits) / expR) >> (int)k;
    }

    /// <summary>ln 2 = 2 * atanh(1/3), computed with 32 guard bits and cached per precision.</summary>
    public static BigInteger Ln2(int fractionBits)
    {
        CheckBits(fractionBits);
        lock (Ln2Cache)
        {
            if (Ln2Cache.TryGetValue(fractionBits, out var cached)) return cached;
            var bits = fractionBits + 32;
            var value = (2 * AtanhSeries((BigInteger.One << bits) / 3, bits)) >> 32;
            Ln2Cache[fractionBits] = value;
            return value;
        }
    }

    private static readonly Dictionary<int, BigInteger> Ln2Cache = [];

    private static void CheckBits(int fractionBits)
    {
        if (fractionBits is < 32 or > 4096) throw new ArgumentOutOfRangeException(nameof(fractionBits), "fraction bits must be 32..4096");
    }
}
