namespace ExCraft.Consensus;

/// <summary>Counters the node can export or use to score peers.</summary>
public sealed class ConsensusStats
{
    private readonly long[] _rejected = new long[Enum.GetValues<RejectReason>().Length];

    public long ProposalsAccepted { get; internal set; }
    public long VotesAccepted { get; internal set; }
    public long EvidenceFound { get; internal set; }
    public long SignaturesReleased { get; internal set; }
    public long SignaturesRefused { get; internal set; }
    public long ReplayedRecords { get; internal set; }
    /// <summary>Votes re-sent as the guard recorded them because the engine had lost them in a crash.</summary>
    public long ResignedFromGuard { get; internal set; }
    public long Buffered { get; internal set; }

    public long Rejected(RejectReason reason) => _rejected[(int)reason];

    public long RejectedTotal => _rejected.Sum();

    internal void CountRejected(RejectReason reason) => _rejected[(int)reason]++;
}
