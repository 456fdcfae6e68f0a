namespace ExCraft.Consensus;

/// <summary>Limits of the engine's memory use.</summary>
public sealed record ConsensusEngineOptions
{
    public static readonly ConsensusEngineOptions Default = new();

    /// <summary>Messages for rounds more than this far beyond the current round are rejected.</summary>
    public int MaxRoundsAhead { get; init; } = 64;

    /// <summary>Messages for up to this many heights beyond the current one are buffered until that height starts.</summary>
    public int FutureHeightWindow { get; init; } = 1;

    /// <summary>At most this many future-height messages are buffered; more are rejected.</summary>
    public int MaxBufferedMessages { get; init; } = 4096;
}
