using System.Numerics;

namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>
/// The whitepaper's release curve before truncation, in base units (SPEC 2):
/// y(x) = 3293005.88008333 * exp(-((ln((x + 5) / 365) + 0.5) / 2)^2) EXT, for cycle x.
/// The value for a cycle is floor(y(x) * 10^18), computed in binary fixed point with
/// <see cref="FractionBits"/> fraction bits. The arithmetic's error (about 2^-74 base units)
/// is far smaller than the distance of any cycle's value from an integer (at least 2^-17.8), so
/// the floor is the exact one (docs/emission.md; the tests compare with a 256-bit evaluation).
/// Truncation to the 7,000,000,000 EXT total is <see cref="EmissionTable"/>'s job.
/// </summary>
public static class EmissionCurve
{
    /// <summary>Cycles 0..LastCycle carry the schedule (74,037 reward cycles, SPEC 2).</summary>
    public const ulong LastCycle = 74_036;

    public const ulong CycleCount = LastCycle + 1;

    /// <summary>Working precision of the production schedule; changing it changes the pinned table hash.</summary>
    public const int FractionBits = 160;

    /// <summary>3293005.88008333 EXT, the curve's height, as 329300588008333 * 10^-8.</summary>
    private static readonly BigInteger HeightTimes1e8 = 329_300_588_008_333;

    /// <summary>10^18 base units per EXT divided by the 10^8 of the height's decimals.</summary>
    private static readonly BigInteger BaseUnitsPer1e8 = BigInteger.Pow(10, 10);

    /// <summary>floor(y(cycle) * 10^18) with the production precision.</summary>
    public static UInt128 BaseUnits(ulong cycle) => BaseUnits(cycle, FractionBits);

    /// <summary>floor(y(cycle) * 10^18) computed with the given fixed-point precision.</summary>
    public static UInt128 BaseUnits(ulong cycle, int fractionBits)
    {
        if (cycle > LastCycle) throw new ArgumentOutOfRangeException(nameof(cycle), $"cycle {cycle} is past the schedule's last cycle {LastCycle}");
        var ln = FixedPointMath.Ln(new BigInteger(cycle) + 5, 365, fractionBits);
        var half = BigInteger.One << (fractionBits - 1);
        var u = (ln + half) >> 1;              // (ln((x+5)/365) + 0.5) / 2
        var uSquared = (u * u) >> fractionBits;
        var decay = FixedPointMath.ExpNegative(uSquared, fractionBits);
        return (UInt128)((HeightTimes1e8 * BaseUnitsPer1e8 * decay) >> fractionBits);
    }
}
