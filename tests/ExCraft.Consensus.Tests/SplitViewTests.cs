using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Consensus.Tests;

/// <summary>
/// A hand-scheduled adversarial run (the network and one Byzantine validator controlled by the test):
/// A decides v in round 0 while B and C miss the precommits and move to round 1, where B proposes a
/// fresh block w and the Byzantine validator backs it. Only C's lock on v stops a fork.
/// </summary>
public class SplitViewTests
{
    private const ulong ChainId = TestChain.ChainId;

    [Fact]
    public void Lock_prevents_a_fork_when_views_split()
    {
        var keys = TestKeys.Keys(4).OrderBy(k => k.Address).ToArray();
        var set = TestChain.EqualSet(keys);
        var (a, b, c, d) = (keys[0], keys[1], keys[2], keys[3]); // d is Byzantine
        Assert.Equal(a.Address, set.Proposer(1, 0));
        Assert.Equal(b.Address, set.Proposer(1, 1));
        ConsensusEngine Engine(PrivateKey key, int salt) => new(ChainId, set, key, EngineFixture.Timeouts,
            (h, r) => TestChain.MakeBlock(h, TestChain.GenesisHash, 100, key.Address, (ulong)(salt * 100 + r)), _ => true, new InMemoryDoubleSignGuard());
        var (ea, eb, ec) = (Engine(a, 1), Engine(b, 2), Engine(c, 3));

        // Round 0. A proposes v and prevotes it.
        var outA = ea.StartHeight(1).ToList();
        eb.StartHeight(1);
        ec.StartHeight(1);
        var proposal = Assert.Single(outA.OfType<BroadcastProposal>()).Proposal;
        var v = proposal.Block.Hash;
        var prevoteA = EngineFixture.SingleVote(outA, VoteType.Prevote);
        // C gets the proposal and prevotes v; B never gets it and prevotes nil on its timeout.
        var prevoteC = EngineFixture.SingleVote(ec.OnProposal(proposal), VoteType.Prevote);
        Assert.Equal(v, prevoteC.BlockHash);
        var prevoteB = EngineFixture.SingleVote(eb.OnTimeout(new Timeout(1, 0, ConsensusStep.Propose)), VoteType.Prevote);
        Assert.True(prevoteB.IsNil);
        // The Byzantine validator prevotes v towards A and C, nil towards B.
        var dPrevoteV = Vote.Create(ChainId, VoteType.Prevote, 1, 0, v, d);
        var dPrevoteNil = Vote.Create(ChainId, VoteType.Prevote, 1, 0, null, d);
        ea.OnVote(dPrevoteV);
        ec.OnVote(dPrevoteV);
        eb.OnVote(dPrevoteNil);
        // A and C see a polka for v (A, C, D): they lock and precommit v.
        var precommitA = EngineFixture.SingleVote(ea.OnVote(prevoteC), VoteType.Precommit);
        var precommitC = EngineFixture.SingleVote(ec.OnVote(prevoteA), VoteType.Precommit);
        Assert.Equal(v, precommitA.BlockHash);
        Assert.Equal(v, precommitC.BlockHash);
        Assert.Equal(0, ec.LockedRound);
        // B sees no polka; its prevote timeout makes it precommit nil.
        eb.OnVote(prevoteC);
        var precommitB = EngineFixture.SingleVote(eb.OnTimeout(new Timeout(1, 0, ConsensusStep.Prevote)), VoteType.Precommit);
        Assert.True(precommitB.IsNil);

        // A gets C's and D's precommits for v and decides v.
        var dPrecommitV = Vote.Create(ChainId, VoteType.Precommit, 1, 0, v, d);
        var dPrecommitNil = Vote.Create(ChainId, VoteType.Precommit, 1, 0, null, d);
        ea.OnVote(dPrecommitV);
        var decidedA = Assert.Single(ea.OnVote(precommitC).OfType<Decided>());
        Assert.Equal(v, decidedA.Block.Hash);
        // B and C never see A's precommit; they see D's nil precommit instead and time out into round 1.
        ec.OnVote(precommitB);
        ec.OnVote(dPrecommitNil);
        eb.OnVote(precommitC);
        eb.OnVote(dPrecommitNil);
        Assert.False(eb.IsDecided);
        Assert.False(ec.IsDecided);
        ec.OnTimeout(new Timeout(1, 0, ConsensusStep.Precommit));
        var outB = eb.OnTimeout(new Timeout(1, 0, ConsensusStep.Precommit)).ToList();

        // Round 1. B never saw a polka, so it proposes a fresh block w, prevotes it, and D backs it.
        var proposal1 = Assert.Single(outB.OfType<BroadcastProposal>()).Proposal;
        var w = proposal1.Block.Hash;
        Assert.NotEqual(v, w);
        Assert.Equal(-1, proposal1.PolRound);
        var prevoteB1 = EngineFixture.SingleVote(outB, VoteType.Prevote);
        Assert.Equal(w, prevoteB1.BlockHash);
        var dPrevoteW = Vote.Create(ChainId, VoteType.Prevote, 1, 1, w, d);
        // C is locked on v: it must not prevote w.
        var prevoteC1 = EngineFixture.SingleVote(ec.OnProposal(proposal1), VoteType.Prevote);
        Assert.True(prevoteC1.IsNil);
        var all = new List<ConsensusAction>();
        foreach (var vote in new[] { prevoteB1, dPrevoteW }) all.AddRange(ec.OnVote(vote));
        foreach (var vote in new[] { prevoteC1, dPrevoteW }) all.AddRange(eb.OnVote(vote));
        Assert.DoesNotContain(EngineFixture.SentVotes(all), x => x.Type == VoteType.Precommit && x.BlockHash is not null);
        // Even with D precommitting w everywhere, w gathers no quorum.
        var dPrecommitW = Vote.Create(ChainId, VoteType.Precommit, 1, 1, w, d);
        all.AddRange(eb.OnVote(dPrecommitW));
        all.AddRange(ec.OnVote(dPrecommitW));
        Assert.Empty(all.OfType<Decided>());

        // When the network heals, gossip brings what A saw (the proposal, D's precommit for v, A's precommit):
        // B and C decide v, the same block as A.
        eb.OnProposal(proposal);
        eb.OnVote(dPrecommitV);
        ec.OnVote(dPrecommitV);
        var decidedB = Assert.Single(eb.OnVote(precommitA).OfType<Decided>());
        var decidedC = Assert.Single(ec.OnVote(precommitA).OfType<Decided>());
        Assert.Equal(v, decidedB.Block.Hash);
        Assert.Equal(v, decidedC.Block.Hash);
        Assert.Null(TestChain.CheckCommit(ChainId, set, decidedB.Block, decidedB.Commit));
    }
}
