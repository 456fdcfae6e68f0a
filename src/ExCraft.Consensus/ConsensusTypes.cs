using ExCraft.Core.Blocks;

namespace ExCraft.Consensus;

/// <summary>The steps of a round, in order; also the step of a signature in the double-sign guard
/// (a proposal is signed at <see cref="Propose"/>).</summary>
public enum ConsensusStep : byte
{
    Propose = 0,
    Prevote = 1,
    Precommit = 2,
}

/// <summary>A timer the engine asked for; hand it back through <see cref="ConsensusEngine.OnTimeout"/> when it fires.</summary>
public readonly record struct Timeout(ulong Height, int Round, ConsensusStep Step);

/// <summary>
/// Timeout lengths: step timeout in round r = base + r * <see cref="RoundIncrementMs"/>
/// (the paper's timeoutX(r) = initTimeoutX + r * timeoutDelta), saturating at int.MaxValue.
/// </summary>
public sealed record ConsensusTimeouts(int ProposeMs, int PrevoteMs, int PrecommitMs, int RoundIncrementMs)
{
    public static readonly ConsensusTimeouts Default = new(3000, 1000, 1000, 500);

    public int ProposeMs { get; init; } = NonNegative(ProposeMs, nameof(ProposeMs));
    public int PrevoteMs { get; init; } = NonNegative(PrevoteMs, nameof(PrevoteMs));
    public int PrecommitMs { get; init; } = NonNegative(PrecommitMs, nameof(PrecommitMs));
    public int RoundIncrementMs { get; init; } = NonNegative(RoundIncrementMs, nameof(RoundIncrementMs));

    public int DelayMs(ConsensusStep step, int round)
    {
        var baseMs = step switch
        {
            ConsensusStep.Propose => ProposeMs,
            ConsensusStep.Prevote => PrevoteMs,
            ConsensusStep.Precommit => PrecommitMs,
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        var delay = baseMs + (long)Math.Max(round, 0) * RoundIncrementMs;
        return (int)Math.Min(delay, int.MaxValue);
    }

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, "timeouts must not be negative");
}

/// <summary>Why an incoming message was not used. The network layer decides which of these cost the sending peer.</summary>
public enum RejectReason
{
    /// <summary>For a height already finished or decided: normal for late gossip, not a fault.</summary>
    StaleHeight,
    /// <summary>For a future height beyond the buffer window, or the future buffer is full.</summary>
    FutureHeight,
    /// <summary>For a round too far beyond the current one (a memory-exhaustion guard).</summary>
    RoundTooFar,
    NotValidator,
    WrongProposer,
    InvalidSignature,
    /// <summary>A message identical to one already received (gossip duplicates are normal).</summary>
    Duplicate,
    /// <summary>A second, different proposal from the round's proposer; the first one is kept.</summary>
    ConflictingProposal,
    /// <summary>A further conflicting vote from a validator whose equivocation was already reported.</summary>
    EquivocationAlreadyReported,
}

/// <summary>What the node must do after feeding the engine an input.</summary>
public abstract record ConsensusAction;

/// <summary>Send this proposal to all peers.</summary>
public sealed record BroadcastProposal(Proposal Proposal) : ConsensusAction;

/// <summary>Send this vote to all peers.</summary>
public sealed record BroadcastVote(Vote Vote) : ConsensusAction;

/// <summary>Call <see cref="ConsensusEngine.OnTimeout"/> with <see cref="Timeout"/> after <see cref="DelayMs"/> milliseconds.</summary>
public sealed record ScheduleTimeout(Timeout Timeout, int DelayMs) : ConsensusAction;

/// <summary>The height is decided: execute and store <see cref="Block"/> with <see cref="Commit"/>, then call
/// <see cref="ConsensusEngine.StartHeight"/> with the next height.</summary>
public sealed record Decided(Block Block, Commit Commit) : ConsensusAction;

/// <summary>A validator equivocated; submit the evidence to the chain (reported once per validator, type, height, round).</summary>
public sealed record EvidenceFound(DoubleSignEvidence Evidence) : ConsensusAction;

/// <summary>The input was not used; the network layer may score the peer that sent it.</summary>
public sealed record MessageRejected(RejectReason Reason, string Detail) : ConsensusAction;

/// <summary>The engine wanted to sign but the double-sign guard (or the record of its own earlier messages) refused; nothing was sent.</summary>
public sealed record SignatureRefused(ulong Height, int Round, ConsensusStep Step, string Reason) : ConsensusAction;
