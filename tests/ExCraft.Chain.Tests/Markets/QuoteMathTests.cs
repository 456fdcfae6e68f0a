using System.Numerics;
using ExCraft.Chain.Modules.Markets.Matching;

namespace ExCraft.Chain.Tests.Markets;

public class QuoteMathTests
{
    [Fact]
    public void TryMultiply_agrees_with_big_integers_including_at_the_overflow_edge()
    {
        var random = new Random(128);
        var buffer = new byte[16];
        var max = (BigInteger)UInt128.MaxValue;
        for (var i = 0; i < 20_000; i++)
        {
            var a = Next(random, buffer, random.Next(1, 17));
            var b = Next(random, buffer, random.Next(1, 17));
            var exact = (BigInteger)a * b;
            var fits = QuoteMath.TryMultiply(a, b, out var product);
            Assert.Equal(exact <= max, fits);
            if (fits) Assert.Equal(exact, (BigInteger)product);
        }
        Assert.True(QuoteMath.TryMultiply(UInt128.MaxValue, 1, out var same) && same == UInt128.MaxValue);
        Assert.False(QuoteMath.TryMultiply(UInt128.One << 64, UInt128.One << 64, out _));
        Assert.False(QuoteMath.TryMultiply((UInt128.One << 127) + 1, 2, out _));
    }

    [Fact]
    public void MulDiv_is_exact_even_when_the_product_needs_more_than_128_bits()
    {
        var a = UInt128.MaxValue / 3;
        Assert.Equal(a * 2, QuoteMath.MulDiv(a, 6, 3)); // a * 6 does not fit 128 bits
        Assert.Equal((UInt128)((BigInteger)a * 1_000 / 7_000), QuoteMath.MulDiv(a, 1_000, 7_000));
        Assert.Throws<OverflowException>(() => QuoteMath.MulDiv(UInt128.MaxValue, 3, 2));
    }

    [Theory]
    [InlineData(0, 2_000, 0)]
    [InlineData(1, 1, 1)]            // any positive fee rounds up to one unit
    [InlineData(1_000_000, 2_000, 2_000)]
    [InlineData(1_234, 2_000, 3)]    // 2.468 -> 3
    [InlineData(500, 1_000_000, 500)] // 100% takes all, never more
    [InlineData(999, 0, 0)]
    public void Fees_round_up_and_never_exceed_the_amount(long amount, uint ppm, long expected)
    {
        Assert.Equal((UInt128)expected, QuoteMath.Fee((UInt128)amount, ppm));
    }

    [Fact]
    public void Fee_on_a_huge_amount_is_exact()
    {
        var amount = UInt128.MaxValue / 2;
        var expected = ((BigInteger)amount * 3 + 999_999) / 1_000_000;
        Assert.Equal(expected, (BigInteger)QuoteMath.Fee(amount, 3));
    }

    [Fact]
    public void Affordable_lots_is_the_largest_count_whose_rounded_quote_fits_the_budget()
    {
        for (UInt128 budget = 0; budget < 200; budget++)
        {
            var lots = QuoteMath.AffordableLots(budget, price: 37, lotSize: 3, priceScale: 50);
            Assert.True(QuoteMath.Quote(37, lots * 3, 50) <= budget);
            Assert.True(QuoteMath.Quote(37, (lots + 1) * 3, 50) > budget);
        }
    }

    private static UInt128 Next(Random random, byte[] buffer, int bytes)
    {
        Array.Clear(buffer);
        random.NextBytes(buffer.AsSpan(0, bytes));
        return new UInt128(BitConverter.ToUInt64(buffer, 8), BitConverter.ToUInt64(buffer, 0));
    }
}
