using ExCraft.Core.Consensus;

namespace ExCraft.Consensus.Tests;

/// <summary>
/// Messages for the next height are buffered once: a repeat is refused as a duplicate, so the node's vote
/// relay (which passes on only what the engine did not reject) stops instead of circling copies between
/// nodes that are one height behind.
/// </summary>
public sealed class FutureHeightBufferTests
{
    private static RejectReason? Reason(IReadOnlyList<ConsensusAction> actions) =>
        actions.OfType<MessageRejected>().SingleOrDefault()?.Reason;

    [Fact]
    public void A_repeated_next_height_vote_is_a_duplicate_and_is_buffered_once()
    {
        var f = new EngineFixture();
        var e = f.Engine;
        e.StartHeight(1);
        var other = f.Others.First();
        var vote = EngineFixture.VoteBy(other, VoteType.Prevote, 2, 0, null);

        Assert.Null(Reason(e.OnVote(vote)));
        for (var copy = 0; copy < 5; copy++) Assert.Equal(RejectReason.Duplicate, Reason(e.OnVote(vote)));
        Assert.Equal(1, e.Stats.Buffered);
        Assert.Equal(5, e.Stats.Rejected(RejectReason.Duplicate));

        // A different vote of the same validator is not a repeat: it is buffered too (equivocation is judged at its height).
        var other2 = EngineFixture.VoteBy(other, VoteType.Precommit, 2, 0, null);
        Assert.Null(Reason(e.OnVote(other2)));
        Assert.Equal(2, e.Stats.Buffered);

        // At the next height each buffered vote counts once.
        var accepted = e.Stats.VotesAccepted;
        e.StartHeight(2);
        Assert.Equal(accepted + 2, e.Stats.VotesAccepted);
        Assert.Equal(RejectReason.Duplicate, Reason(e.OnVote(vote)));
    }

    [Fact]
    public void A_repeated_next_height_proposal_is_a_duplicate()
    {
        var f = new EngineFixture();
        var e = f.Engine;
        e.StartHeight(1);
        var proposal = f.Propose(2, 0, EngineFixture.Block(2, 7));

        Assert.Null(Reason(e.OnProposal(proposal)));
        Assert.Equal(RejectReason.Duplicate, Reason(e.OnProposal(proposal)));
        Assert.Equal(1, e.Stats.Buffered);
    }
}
