using ExCraft.Core;

namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>An amount in base units for each of the three emission shares. Arithmetic is checked per share.</summary>
public readonly record struct ShareAmounts(UInt128 ProofOfExistence, UInt128 Pools, UInt128 ProofOfStake)
{
    public static ShareAmounts Zero => default;

    public UInt128 Total => Amount.Add(Amount.Add(ProofOfExistence, Pools), ProofOfStake);

    public UInt128 this[EmissionShare share] => share switch
    {
        EmissionShare.ProofOfExistence => ProofOfExistence,
        EmissionShare.Pools => Pools,
        EmissionShare.ProofOfStake => ProofOfStake,
        _ => throw new ArgumentOutOfRangeException(nameof(share), $"unknown emission share {share}"),
    };

    public ShareAmounts With(EmissionShare share, UInt128 value) => share switch
    {
        EmissionShare.ProofOfExistence => this with { ProofOfExistence = value },
        EmissionShare.Pools => this with { Pools = value },
        EmissionShare.ProofOfStake => this with { ProofOfStake = value },
        _ => throw new ArgumentOutOfRangeException(nameof(share), $"unknown emission share {share}"),
    };

    public static ShareAmounts operator +(ShareAmounts a, ShareAmounts b) =>
        new(Amount.Add(a.ProofOfExistence, b.ProofOfExistence), Amount.Add(a.Pools, b.Pools), Amount.Add(a.ProofOfStake, b.ProofOfStake));

    /// <summary>Per-share difference; throws if any share of b exceeds a's.</summary>
    public static ShareAmounts operator -(ShareAmounts a, ShareAmounts b) =>
        new(Amount.Subtract(a.ProofOfExistence, b.ProofOfExistence), Amount.Subtract(a.Pools, b.Pools), Amount.Subtract(a.ProofOfStake, b.ProofOfStake));

    public override string ToString() =>
        $"PoE {Amount.Format(ProofOfExistence)}, pools {Amount.Format(Pools)}, PoS {Amount.Format(ProofOfStake)}";
}
