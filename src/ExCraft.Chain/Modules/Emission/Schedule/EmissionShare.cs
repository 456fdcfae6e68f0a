namespace ExCraft.Chain.Modules.Emission.Schedule;

/// <summary>The three ways each cycle's release is shared out (SPEC 2), with their weights in sevenths.</summary>
public enum EmissionShare
{
    /// <summary>4/7: traders, pro rata to Proof of Existence.</summary>
    ProofOfExistence,

    /// <summary>1/7: eligible pools.</summary>
    Pools,

    /// <summary>2/7: bonded stake of registered accounts.</summary>
    ProofOfStake,
}

public static class EmissionShares
{
    public const int Sevenths = 7;

    public static IReadOnlyList<EmissionShare> All { get; } = [EmissionShare.ProofOfExistence, EmissionShare.Pools, EmissionShare.ProofOfStake];

    public static int WeightInSevenths(this EmissionShare share) => share switch
    {
        EmissionShare.ProofOfExistence => 4,
        EmissionShare.Pools => 1,
        EmissionShare.ProofOfStake => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(share), $"unknown emission share {share}"),
    };
}
