using System.Numerics;
using ExCraft.Chain.Modules.Emission.Schedule;

namespace ExCraft.Chain.Tests.Emission;

public class EmissionCurveTests
{
    /// <summary>Base units rounded half up to the given number of EXT decimals, as the SPEC states its check values.</summary>
    internal static UInt128 RoundToDecimals(UInt128 baseUnits, int decimals)
    {
        UInt128 unit = 1;
        for (var i = 0; i < 18 - decimals; i++) unit *= 10;
        return (baseUnits + unit / 2) / unit;
    }

    [Fact]
    public void First_two_cycles_match_the_spec_to_three_decimals()
    {
        Assert.Equal((UInt128)90_709_344, RoundToDecimals(EmissionCurve.BaseUnits(0), 3));
        Assert.Equal((UInt128)127_089_469, RoundToDecimals(EmissionCurve.BaseUnits(1), 3));
    }

    [Fact]
    public void Curve_peaks_at_cycle_216_with_3_293_003_4_ext()
    {
        var peak = EmissionCurve.BaseUnits(216);
        Assert.Equal((UInt128)32_930_034, RoundToDecimals(peak, 1));
        // The curve rises to 216 and falls after it (its real maximum is near x = 216.38).
        Assert.True(EmissionCurve.BaseUnits(215) < peak);
        Assert.True(EmissionCurve.BaseUnits(217) < peak);
        Assert.True(EmissionCurve.BaseUnits(215) < EmissionCurve.BaseUnits(217));
    }

    [Fact]
    public void Every_cycle_agrees_with_a_floating_point_evaluation_to_twelve_digits()
    {
        // Floating point is used here only as an independent reference: it catches a wrong series
        // or reduction step, which would be off by far more than double rounding.
        for (ulong x = 0; x <= EmissionCurve.LastCycle; x++)
        {
            var reference = 3293005.88008333 * Math.Exp(-Math.Pow((Math.Log((x + 5) / 365.0) + 0.5) / 2, 2));
            var computed = (double)EmissionCurve.BaseUnits(x) / 1e18;
            Assert.True(Math.Abs(computed - reference) <= reference * 1e-12, $"cycle {x}: fixed point {computed}, double {reference}");
        }
    }

    [Fact]
    public void Production_precision_gives_the_same_base_units_as_256_bits()
    {
        // A floor taken at 160 fraction bits equals the one at 256 bits: the precision is enough
        // for base-unit exactness (a sample: the rising part, the peak, the tail, the end).
        var cycles = Enumerable.Range(0, 400).Select(x => (ulong)x)
            .Concat(Enumerable.Range(0, 200).Select(i => 400 + (ulong)i * 367))
            .Append(EmissionCurve.LastCycle);
        foreach (var x in cycles)
        {
            Assert.Equal(EmissionCurve.BaseUnits(x, 256), EmissionCurve.BaseUnits(x));
        }
    }

    [Fact]
    public void A_cycle_past_the_schedule_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmissionCurve.BaseUnits(EmissionCurve.CycleCount));
        Assert.Contains("past the schedule's last cycle 74036", error.Message);
    }

    [Fact]
    public void Fixed_point_ln_and_exp_hit_known_values()
    {
        const int bits = 128;
        var one = BigInteger.One << bits;
        Assert.Equal(BigInteger.Zero, FixedPointMath.Ln(365, 365, bits));
        // ln 2 = 0.693147180559945309417232121458176568..., checked to 36 decimals.
        var ln2Digits = FixedPointMath.Ln2(bits) * BigInteger.Pow(10, 36) >> bits;
        Assert.Equal(BigInteger.Parse("693147180559945309417232121458176568"), ln2Digits);
        // ln(10) = 2.302585092994045684017991454684364207...
        var ln10Digits = FixedPointMath.Ln(10, 1, bits) * BigInteger.Pow(10, 36) >> bits;
        Assert.Equal(BigInteger.Parse("2302585092994045684017991454684364207"), ln10Digits);
        // ln(1/10) = -ln(10) to within one unit in the last place of 128 bits.
        Assert.True(BigInteger.Abs(FixedPointMath.Ln(1, 10, bits) + FixedPointMath.Ln(10, 1, bits)) <= 2);
        Assert.Equal(one, FixedPointMath.ExpNegative(0, bits));
        // e^-1 = 0.367879441171442321595523770161460867...
        var expDigits = FixedPointMath.ExpNegative(one, bits) * BigInteger.Pow(10, 36) >> bits;
        Assert.Equal(BigInteger.Parse("367879441171442321595523770161460867"), expDigits);
        // e^-(ln 10) = 1/10.
        Assert.True(BigInteger.Abs(FixedPointMath.ExpNegative(FixedPointMath.Ln(10, 1, bits), bits) - one / 10) <= 4);
    }

    [Fact]
    public void Fixed_point_refuses_inputs_outside_its_domain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointMath.Ln(0, 1, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointMath.Ln(1, -3, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointMath.ExpNegative(-1, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointMath.ExpNegative(1, 8));
    }
}
