using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Consensus.Tests;

public class ConsensusEngineTests
{
    private const ulong ChainId = TestChain.ChainId;

    [Fact]
    public void Happy_path_as_proposer_decides_with_a_verifiable_commit()
    {
        var f = new EngineFixture();
        Assert.Equal(f.Me.Address, f.Set.Proposer(4, 0));
        var start = f.Engine.StartHeight(4);
        var proposal = Assert.Single(start.OfType<BroadcastProposal>()).Proposal;
        Assert.Equal(4UL, proposal.Height);
        Assert.Equal(-1, proposal.PolRound);
        Assert.True(proposal.Verify(ChainId));
        var prevote = EngineFixture.SingleVote(start, VoteType.Prevote);
        Assert.Equal(proposal.Block.Hash, prevote.BlockHash);
        Assert.Contains(start.OfType<ScheduleTimeout>(), t => t.Timeout == new Timeout(4, 0, ConsensusStep.Propose) && t.DelayMs == 1000);

        var others = f.Others.ToList();
        var afterPrevotes = f.Votes(others.Take(2), VoteType.Prevote, 4, 0, proposal.Block.Hash);
        var precommit = EngineFixture.SingleVote(afterPrevotes, VoteType.Precommit);
        Assert.Equal(proposal.Block.Hash, precommit.BlockHash);
        Assert.Equal(0, f.Engine.LockedRound);
        Assert.Equal(0, f.Engine.ValidRound);
        Assert.Contains(afterPrevotes.OfType<ScheduleTimeout>(), t => t.Timeout.Step == ConsensusStep.Prevote);

        var afterPrecommits = f.Votes(others, VoteType.Precommit, 4, 0, proposal.Block.Hash);
        var decided = Assert.Single(afterPrecommits.OfType<Decided>());
        Assert.Equal(proposal.Block.Hash, decided.Block.Hash);
        Assert.Equal(0UL, decided.Commit.Round);
        Assert.Null(TestChain.CheckCommit(ChainId, f.Set, decided.Block, decided.Commit));
        Assert.True(f.Engine.IsDecided);
        // Decided once; later votes are stale.
        var late = f.Engine.OnVote(EngineFixture.VoteBy(others[0], VoteType.Prevote, 4, 1, null));
        Assert.Equal(RejectReason.StaleHeight, Assert.Single(late.OfType<MessageRejected>()).Reason);
    }

    [Fact]
    public void Locked_validator_refuses_another_block_until_a_newer_polka()
    {
        var f = new EngineFixture();
        const ulong h = 1;
        var e = f.Engine;
        e.StartHeight(h);
        var b0 = EngineFixture.Block(h, 0);
        var b1 = EngineFixture.Block(h, 1);
        var p0 = f.ProposerKey(h, 0);
        var p1 = f.ProposerKey(h, 1);
        var p2 = f.ProposerKey(h, 2);
        Assert.DoesNotContain(f.Me, new[] { p0, p1, p2 });

        // Round 0: prevote B0, see a polka for B0, precommit it and lock.
        Assert.Equal(b0.Hash, EngineFixture.SingleVote(e.OnProposal(f.Propose(h, 0, b0)), VoteType.Prevote).BlockHash);
        var precommit = EngineFixture.SingleVote(f.Votes([p0, p1], VoteType.Prevote, h, 0, b0.Hash), VoteType.Precommit);
        Assert.Equal(b0.Hash, precommit.BlockHash);
        Assert.Equal(0, e.LockedRound);
        Assert.Equal(b0.Hash, e.LockedBlockHash);

        // The round fails: the others precommit nil; the precommit timeout moves us to round 1.
        var actions = f.Votes([p0, p1], VoteType.Precommit, h, 0, null);
        var timeout = Assert.Single(actions.OfType<ScheduleTimeout>()).Timeout;
        Assert.Equal(new Timeout(h, 0, ConsensusStep.Precommit), timeout);
        actions = e.OnTimeout(timeout).ToList();
        Assert.Equal(1, e.Round);
        Assert.Contains(actions.OfType<ScheduleTimeout>(), t => t.Timeout == new Timeout(h, 1, ConsensusStep.Propose) && t.DelayMs == 1100);

        // Round 1: a different block without a proof of lock: prevote nil.
        Assert.Null(EngineFixture.SingleVote(e.OnProposal(f.Propose(h, 1, b1)), VoteType.Prevote).BlockHash);
        Assert.Equal(0, e.LockedRound);

        // More than 1/3 of the power is already in round 2: skip to it. Its proposal re-proposes B1 claiming a polka in round 1.
        Assert.Empty(EngineFixture.SentVotes(e.OnProposal(f.Propose(h, 2, b1, polRound: 1))));
        actions = e.OnVote(EngineFixture.VoteBy(p0, VoteType.Prevote, h, 2, null)).ToList();
        Assert.Equal(2, e.Round);
        // No polka for B1 in round 1 is known yet: wait (no vote).
        Assert.Empty(EngineFixture.SentVotes(actions));
        Assert.Empty(EngineFixture.SentVotes(f.Votes([p0, p1], VoteType.Prevote, h, 1, b1.Hash)));

        // The third prevote completes the round-1 polka for B1 (newer than our lock): now prevote B1.
        var prevote = EngineFixture.SingleVote(f.Votes([p2], VoteType.Prevote, h, 1, b1.Hash), VoteType.Prevote);
        Assert.Equal(b1.Hash, prevote.BlockHash);
        Assert.Equal(2, prevote.Round);
        // The lock only moves with a polka in the current round.
        Assert.Equal(0, e.LockedRound);
        var precommit2 = EngineFixture.SingleVote(f.Votes([p1, p2], VoteType.Prevote, h, 2, b1.Hash).Concat(f.Votes([], VoteType.Prevote, h, 2, null)), VoteType.Precommit);
        Assert.Equal(b1.Hash, precommit2.BlockHash);
        Assert.Equal(2, e.LockedRound);
        Assert.Equal(b1.Hash, e.LockedBlockHash);
    }

    [Fact]
    public void Locked_validator_rejects_a_proof_of_lock_from_an_older_round()
    {
        var f = new EngineFixture();
        const ulong h = 1;
        var e = f.Engine;
        e.StartHeight(h);
        var b0 = EngineFixture.Block(h, 0);
        var b1 = EngineFixture.Block(h, 1);
        var others = f.Others.ToArray();
        e.OnProposal(f.Propose(h, 0, b1));
        // Polka for B1 in round 0 (we prevoted B1 too) but we do not see it in time... we see a polka for nothing.
        // Round 1 (by round skip): lock on B0 there.
        e.OnProposal(f.Propose(h, 1, b0));
        e.OnVote(EngineFixture.VoteBy(others[0], VoteType.Prevote, h, 1, b0.Hash));
        Assert.Equal(1, e.Round);
        var precommit = EngineFixture.SingleVote(f.Votes(others[1..], VoteType.Prevote, h, 1, b0.Hash), VoteType.Precommit);
        Assert.Equal(b0.Hash, precommit.BlockHash);
        Assert.Equal(1, e.LockedRound);

        // Round 2 proposes B1 with a real polka from round 0 — older than our lock: prevote nil.
        f.Votes(others, VoteType.Prevote, h, 0, b1.Hash);
        e.OnVote(EngineFixture.VoteBy(others[0], VoteType.Precommit, h, 2, null));
        var actions = e.OnVote(EngineFixture.VoteBy(others[1], VoteType.Precommit, h, 2, null)).ToList();
        Assert.Equal(2, e.Round);
        Assert.Null(EngineFixture.SingleVote(e.OnProposal(f.Propose(h, 2, b1, polRound: 0)), VoteType.Prevote).BlockHash);

        // Re-proposing our locked block is fine.
        var f2 = new EngineFixture();
        f2.Engine.StartHeight(h);
        f2.Engine.OnProposal(f2.Propose(h, 0, b0));
        f2.Votes(f2.Others.Take(2), VoteType.Prevote, h, 0, b0.Hash);
        Assert.Equal(0, f2.Engine.LockedRound);
        f2.Engine.OnTimeout(new Timeout(h, 0, ConsensusStep.Precommit));
        Assert.Equal(b0.Hash, EngineFixture.SingleVote(f2.Engine.OnProposal(f2.Propose(h, 1, b0)), VoteType.Prevote).BlockHash);
    }

    [Fact]
    public void Timeouts_send_nil_and_grow_per_round()
    {
        var f = new EngineFixture();
        var e = f.Engine;
        e.StartHeight(1);
        var prevote = EngineFixture.SingleVote(e.OnTimeout(new Timeout(1, 0, ConsensusStep.Propose)), VoteType.Prevote);
        Assert.True(prevote.IsNil);
        Assert.Empty(e.OnTimeout(new Timeout(1, 0, ConsensusStep.Propose))); // stale: already past propose
        var actions = f.Votes(f.Others.Take(2), VoteType.Prevote, 1, 0, EngineFixture.Block(1, 5).Hash);
        // 3 prevotes, none with a quorum: wait for the prevote timeout.
        Assert.Equal(500, Assert.Single(actions.OfType<ScheduleTimeout>()).DelayMs);
        Assert.True(EngineFixture.SingleVote(e.OnTimeout(new Timeout(1, 0, ConsensusStep.Prevote)), VoteType.Precommit).IsNil);
        e.OnTimeout(new Timeout(1, 0, ConsensusStep.Precommit));
        Assert.Equal(1, e.Round);
        Assert.Empty(e.OnTimeout(new Timeout(1, 0, ConsensusStep.Precommit))); // stale round
        Assert.Equal(1, e.Round);
        for (var r = 0; r < 5; r++)
        {
            Assert.Equal(1000 + r * 100, EngineFixture.Timeouts.DelayMs(ConsensusStep.Propose, r));
            Assert.Equal(500 + r * 100, EngineFixture.Timeouts.DelayMs(ConsensusStep.Precommit, r));
        }
        Assert.Equal(int.MaxValue, EngineFixture.Timeouts.DelayMs(ConsensusStep.Propose, int.MaxValue));
    }

    [Fact]
    public void Skips_to_a_round_where_more_than_a_third_of_the_power_is()
    {
        var f = new EngineFixture();
        var e = f.Engine;
        e.StartHeight(1);
        var others = f.Others.ToArray();
        e.OnVote(EngineFixture.VoteBy(others[0], VoteType.Precommit, 1, 5, null));
        Assert.Equal(0, e.Round); // 1/4 of the power is not enough
        var actions = e.OnVote(EngineFixture.VoteBy(others[1], VoteType.Prevote, 1, 5, null));
        Assert.Equal(5, e.Round);
        Assert.Contains(actions.OfType<ScheduleTimeout>(), t => t.Timeout == new Timeout(1, 5, ConsensusStep.Propose) && t.DelayMs == 1500);

        // Far beyond the stored window only the highest round per validator is noted, and still enough to skip.
        e.OnVote(EngineFixture.VoteBy(others[0], VoteType.Prevote, 1, 500, null));
        Assert.Equal(5, e.Round);
        var far = e.OnVote(EngineFixture.VoteBy(others[1], VoteType.Prevote, 1, 400, null));
        Assert.Equal(400, e.Round);
        Assert.Empty(far.OfType<MessageRejected>()); // now in range: used normally
        Assert.Equal(1, e.Stats.Rejected(RejectReason.RoundTooFar));
    }

    [Fact]
    public void Equivocation_is_reported_once_with_verifiable_evidence()
    {
        var f = new EngineFixture();
        var e = f.Engine;
        e.StartHeight(1);
        var byzantine = f.Others.First();
        var b = EngineFixture.Block(1, 7);
        Assert.Empty(e.OnVote(EngineFixture.VoteBy(byzantine, VoteType.Prevote, 1, 0, b.Hash)).OfType<EvidenceFound>());
        var evidence = Assert.Single(e.OnVote(EngineFixture.VoteBy(byzantine, VoteType.Prevote, 1, 0, null)).OfType<EvidenceFound>()).Evidence;
        Assert.True(evidence.Verify(ChainId, out var error), error);
        Assert.Equal(byzantine.Address, evidence.A.Validator);
        var third = e.OnVote(EngineFixture.VoteBy(byzantine, VoteType.Prevote, 1, 0, EngineFixture.Block(1, 8).Hash));
        Assert.Empty(third.OfType<EvidenceFound>());
        Assert.Equal(RejectReason.EquivocationAlreadyReported, Assert.Single(third.OfType<MessageRejected>()).Reason);
        // A different type at the same round is a separate equivocation.
        e.OnVote(EngineFixture.VoteBy(byzantine, VoteType.Precommit, 1, 0, b.Hash));
        Assert.Single(e.OnVote(EngineFixture.VoteBy(byzantine, VoteType.Precommit, 1, 0, null)).OfType<EvidenceFound>());
        Assert.Equal(2, e.Stats.EvidenceFound);
    }

    [Fact]
    public void Bad_messages_are_rejected_and_counted()
    {
        var f = new EngineFixture();
        var e = f.Engine;
        e.StartHeight(1);
        var other = f.Others.First();
        var block = EngineFixture.Block(1, 3);
        RejectReason Reason(IReadOnlyList<ConsensusAction> a) => Assert.Single(a.OfType<MessageRejected>()).Reason;

        Assert.Equal(RejectReason.NotValidator, Reason(e.OnVote(EngineFixture.VoteBy(TestKeys.Key(9), VoteType.Prevote, 1, 0, null))));
        var forged = EngineFixture.VoteBy(other, VoteType.Prevote, 1, 0, null) with { BlockHash = block.Hash };
        Assert.Equal(RejectReason.InvalidSignature, Reason(e.OnVote(forged)));
        var wrongProposer = Proposal.Create(ChainId, 1, 0, -1, block, f.Keys.First(k => k.Address != f.Set.Proposer(1, 0)));
        Assert.Equal(RejectReason.WrongProposer, Reason(e.OnProposal(wrongProposer)));
        var good = f.Propose(1, 0, block);
        Assert.Equal(RejectReason.InvalidSignature, Reason(e.OnProposal(good with { PolRound = -1, Signature = forged.Signature })));
        Assert.Empty(e.OnProposal(good).OfType<MessageRejected>());
        Assert.Equal(RejectReason.Duplicate, Reason(e.OnProposal(good)));
        Assert.Equal(RejectReason.ConflictingProposal, Reason(e.OnProposal(f.Propose(1, 0, EngineFixture.Block(1, 4)))));
        var vote = EngineFixture.VoteBy(other, VoteType.Prevote, 1, 0, block.Hash);
        Assert.Empty(e.OnVote(vote).OfType<MessageRejected>());
        Assert.Equal(RejectReason.Duplicate, Reason(e.OnVote(vote)));
        Assert.Equal(RejectReason.StaleHeight, Reason(e.OnVote(EngineFixture.VoteBy(other, VoteType.Prevote, 0, 0, null))));
        Assert.Equal(RejectReason.FutureHeight, Reason(e.OnVote(EngineFixture.VoteBy(other, VoteType.Prevote, 3, 0, null))));

        // The next height's messages are buffered and used when it starts.
        Assert.Empty(e.OnVote(EngineFixture.VoteBy(other, VoteType.Prevote, 2, 0, null)));
        Assert.Equal(1, e.Stats.Buffered);
        var accepted = e.Stats.VotesAccepted;
        e.StartHeight(2);
        Assert.Equal(accepted + 1, e.Stats.VotesAccepted);
        Assert.Equal(RejectReason.StaleHeight, Reason(e.OnVote(vote)));
        Assert.Equal(2, e.Stats.Rejected(RejectReason.InvalidSignature));
        Assert.Equal(2, e.Stats.Rejected(RejectReason.StaleHeight));
    }

    [Fact]
    public void Invalid_block_gets_a_nil_prevote()
    {
        var bad = EngineFixture.Block(1, 66);
        var f = new EngineFixture(validate: b => !b.Hash.AsSpan().SequenceEqual(bad.Hash));
        f.Engine.StartHeight(1);
        Assert.True(EngineFixture.SingleVote(f.Engine.OnProposal(f.Propose(1, 0, bad)), VoteType.Prevote).IsNil);
        // A block for the wrong height is invalid too.
        f.Engine.OnTimeout(new Timeout(1, 0, ConsensusStep.Precommit));
        Assert.True(EngineFixture.SingleVote(f.Engine.OnProposal(f.Propose(1, 1, EngineFixture.Block(2, 1))), VoteType.Prevote).IsNil);
        // Even a precommit quorum does not make us decide an invalid block.
        f.Votes(f.Others, VoteType.Precommit, 1, 0, bad.Hash);
        Assert.False(f.Engine.IsDecided);
    }

    [Fact]
    public void Observer_decides_without_signing()
    {
        var f = new EngineFixture(observer: true);
        var e = f.Engine;
        Assert.False(e.IsSigning);
        e.StartHeight(1);
        var block = EngineFixture.Block(1, 1);
        Assert.Empty(EngineFixture.SentVotes(e.OnProposal(f.Propose(1, 0, block))));
        f.Votes(f.Keys, VoteType.Prevote, 1, 0, block.Hash);
        var decided = Assert.Single(f.Votes(f.Keys.Take(3), VoteType.Precommit, 1, 0, block.Hash).OfType<Decided>());
        Assert.Equal(3, decided.Commit.Signatures.Count);
        Assert.Null(TestChain.CheckCommit(ChainId, f.Set, decided.Block, decided.Commit));
    }

    [Fact]
    public void Decides_a_block_from_an_earlier_rounds_proposal_and_precommits()
    {
        var f = new EngineFixture();
        var e = f.Engine;
        e.StartHeight(1);
        var block = EngineFixture.Block(1, 1);
        e.OnProposal(f.Propose(1, 0, block));
        e.OnTimeout(new Timeout(1, 0, ConsensusStep.Precommit));
        e.OnTimeout(new Timeout(1, 1, ConsensusStep.Precommit));
        Assert.Equal(2, e.Round);
        // Round 0's precommits arrive late: line 49 holds for any round.
        var decided = Assert.Single(f.Votes(f.Others, VoteType.Precommit, 1, 0, block.Hash).OfType<Decided>());
        Assert.Equal(0UL, decided.Commit.Round);
        Assert.Null(TestChain.CheckCommit(ChainId, f.Set, decided.Block, decided.Commit));
    }

    [Fact]
    public void Guard_refusal_stops_the_signature()
    {
        var guard = new InMemoryDoubleSignGuard();
        Assert.True(guard.TryAuthorize(1, 0, ConsensusStep.Precommit, null, out _));
        var f = new EngineFixture(guard: guard);
        f.Engine.StartHeight(1);
        var actions = f.Engine.OnProposal(f.Propose(1, 0, EngineFixture.Block(1, 1)));
        Assert.Empty(EngineFixture.SentVotes(actions));
        var refused = Assert.Single(actions.OfType<SignatureRefused>());
        Assert.Equal(ConsensusStep.Prevote, refused.Step);
        Assert.Equal(1, f.Engine.Stats.SignaturesRefused);
        // The identical precommit nil may be signed again (a restarted validator re-broadcasting).
        var precommit = EngineFixture.SingleVote(f.Votes(f.Others, VoteType.Prevote, 1, 0, null), VoteType.Precommit);
        Assert.True(precommit.IsNil);
    }

    [Fact]
    public void Restart_replays_the_wal_and_rebroadcasts_without_signing_anything_different()
    {
        using var dir = new TempDirectory();
        var guardPath = dir.File("guard");
        var walPath = dir.File("wal");
        FileDoubleSignGuard.CreateNew(guardPath);
        var salt = 0;
        Block Build(ulong h, int r) => EngineFixture.Block(h, 500 + salt++); // a different block on every call

        List<ConsensusAction> before = [];
        Proposal ownProposal;
        using (var wal = ConsensusWal.Open(walPath))
        {
            var f = new EngineFixture(guard: FileDoubleSignGuard.Open(guardPath, []), wal: wal, build: Build);
            var e = f.Engine;
            // Height 4 round 0 is ours: propose, then round 0 fails and round 1 locks on someone else's block.
            before.AddRange(e.StartHeight(4));
            ownProposal = Assert.Single(before.OfType<BroadcastProposal>()).Proposal;
            before.AddRange(f.Votes(f.Others.Take(2), VoteType.Prevote, 4, 0, null));
            before.AddRange(e.OnTimeout(new Timeout(4, 0, ConsensusStep.Precommit)));
            var b1 = EngineFixture.Block(4, 9);
            before.AddRange(e.OnProposal(f.Propose(4, 1, b1)));
            before.AddRange(f.Votes(f.Others.Take(2), VoteType.Prevote, 4, 1, b1.Hash));
            Assert.Equal(1, e.LockedRound);
        }
        var sentBefore = EngineFixture.SentVotes(before);
        Assert.Equal(3, sentBefore.Count); // prevote in round 0 (no quorum to precommit), prevote + precommit B1 in round 1

        using (var wal = ConsensusWal.Open(walPath))
        {
            Assert.Equal(4UL, wal.Height);
            var f = new EngineFixture(guard: FileDoubleSignGuard.Open(guardPath, []), wal: wal, build: Build);
            var replayed = f.Engine.StartHeight(4);
            Assert.Equal(1, f.Engine.Round);
            Assert.Equal(1, f.Engine.LockedRound);
            Assert.Equal(ConsensusStep.Precommit, f.Engine.Step);
            Assert.Empty(replayed.OfType<SignatureRefused>());
            Assert.Empty(replayed.OfType<MessageRejected>());
            // Same proposal (not a freshly built block) and the same votes, re-broadcast.
            Assert.Equal(ownProposal, Assert.Single(replayed.OfType<BroadcastProposal>()).Proposal);
            Assert.Equal(sentBefore, EngineFixture.SentVotes(replayed));
            Assert.Contains(replayed.OfType<ScheduleTimeout>(), t => t.Timeout == new Timeout(4, 1, ConsensusStep.Prevote));
        }
    }

    [Fact]
    public void Lock_is_restored_from_the_guard_when_the_wal_is_lost()
    {
        var guard = new InMemoryDoubleSignGuard();
        var first = new EngineFixture(guard: guard);
        var b0 = EngineFixture.Block(1, 0);
        first.Engine.StartHeight(1);
        first.Engine.OnProposal(first.Propose(1, 0, b0));
        first.Votes(first.Others.Take(2), VoteType.Prevote, 1, 0, b0.Hash);
        Assert.Equal(0, first.Engine.LockedRound);
        Assert.Equal(b0.Hash, guard.LastBlockPrecommit!.BlockHash);

        // A new instance with the same guard and no WAL: it knows it is locked on B0 from round 0.
        var second = new EngineFixture(guard: guard);
        var e = second.Engine;
        e.StartHeight(1);
        Assert.Equal(0, e.LockedRound);
        Assert.Equal(b0.Hash, e.LockedBlockHash);
        Assert.Equal(-1, e.ValidRound); // the block itself is not known yet
        e.OnTimeout(new Timeout(1, 0, ConsensusStep.Precommit));
        Assert.Equal(1, e.Round);
        Assert.True(EngineFixture.SingleVote(e.OnProposal(second.Propose(1, 1, EngineFixture.Block(1, 1))), VoteType.Prevote).IsNil);
        // Once the block arrives it becomes the valid value of round 0 (what it would re-propose).
        e.OnProposal(second.Propose(1, 0, b0));
        Assert.Equal(0, e.ValidRound);
        Assert.Equal(b0.Hash, e.ValidBlockHash);
    }

    [Fact]
    public void A_vote_the_guard_recorded_but_the_engine_lost_is_sent_again_unchanged()
    {
        var guard = new InMemoryDoubleSignGuard();
        var b0 = EngineFixture.Block(1, 0);
        // Before the crash: the guard authorized a prevote for B0 that never reached the WAL or the network.
        Assert.True(guard.TryAuthorize(1, 0, ConsensusStep.Prevote, b0.Hash, out _));
        var f = new EngineFixture(guard: guard);
        f.Engine.StartHeight(1);
        // After the restart the proposal is late: the propose timeout wants a nil prevote, which would conflict.
        var prevote = EngineFixture.SingleVote(f.Engine.OnTimeout(new Timeout(1, 0, ConsensusStep.Propose)), VoteType.Prevote);
        Assert.Equal(b0.Hash, prevote.BlockHash);
        Assert.True(prevote.Verify(ChainId));
        Assert.Equal(1, f.Engine.Stats.ResignedFromGuard);
        Assert.Equal(0, f.Engine.Stats.SignaturesRefused);
    }
}
