using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Consensus;

/// <summary>
/// Tendermint consensus (Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus", Algorithm 1)
/// for one validator, or for an observer without a key. A pure, synchronous state machine: feed it
/// <see cref="StartHeight"/>, <see cref="OnProposal"/>, <see cref="OnVote"/> and <see cref="OnTimeout"/>,
/// and carry out the <see cref="ConsensusAction"/>s each returns. Not thread-safe: call it from one thread.
/// It does no networking and keeps no timers. Before any signature is released it asks the
/// <see cref="IDoubleSignGuard"/>; with a <see cref="ConsensusWal"/> it logs its inputs and own messages
/// so that a restarted instance replays the height and never signs anything different.
/// docs/consensus.md describes the rules as implemented.
/// </summary>
public sealed class ConsensusEngine
{
    private const int MaxRuleStepsPerInput = 100_000;

    private readonly ulong _chainId;
    private readonly PrivateKey? _key;
    private readonly ConsensusTimeouts _timeouts;
    private readonly Func<ulong, int, Block> _buildBlock;
    private readonly Func<Block, bool> _validateBlock;
    private readonly IDoubleSignGuard? _guard;
    private readonly ConsensusWal? _wal;
    private readonly ConsensusEngineOptions _options;

    private ValidatorSet _validators;
    private List<ConsensusAction> _out = [];
    private readonly List<(ulong Height, object Message)> _future = [];
    private readonly HashSet<object> _futureSet = []; // the messages in _future (they carry their height), for constant-time duplicate checks

    // State of the current height.
    private bool _started;
    private bool _replaying;
    private readonly Dictionary<int, RoundState> _rounds = [];
    private readonly Dictionary<string, Block> _blocks = [];
    private readonly Dictionary<string, bool> _validity = [];
    private readonly Dictionary<int, Proposal> _ownProposals = [];
    private readonly Dictionary<(int Round, VoteType Type), Vote> _ownVotes = [];
    private readonly HashSet<(Address Validator, int Round, VoteType Type)> _reportedEquivocations = [];
    private readonly Dictionary<Address, int> _farAheadRounds = [];
    private byte[]? _lockedHash;
    private Block? _validValue;

    public ConsensusEngine(
        ulong chainId,
        ValidatorSet validators,
        PrivateKey? key,
        ConsensusTimeouts timeouts,
        Func<ulong, int, Block> buildBlock,
        Func<Block, bool> validateBlock,
        IDoubleSignGuard? guard,
        ConsensusWal? wal = null,
        ConsensusEngineOptions? options = null)
    {
        _chainId = chainId;
        _validators = validators ?? throw new ArgumentNullException(nameof(validators));
        _key = key;
        _timeouts = timeouts ?? throw new ArgumentNullException(nameof(timeouts));
        _buildBlock = buildBlock ?? throw new ArgumentNullException(nameof(buildBlock));
        _validateBlock = validateBlock ?? throw new ArgumentNullException(nameof(validateBlock));
        if (key is not null && guard is null) throw new ArgumentException("a validator key needs a double-sign guard", nameof(guard));
        _guard = guard;
        _wal = wal;
        _options = options ?? ConsensusEngineOptions.Default;
    }

    public ulong ChainId => _chainId;
    public ValidatorSet Validators => _validators;

    /// <summary>This engine's validator address, or null for an observer.</summary>
    public Address? Address => _key?.Address;

    public ulong Height { get; private set; }
    public int Round { get; private set; }
    public ConsensusStep Step { get; private set; }
    public int LockedRound { get; private set; } = -1;
    public byte[]? LockedBlockHash => _lockedHash;
    public int ValidRound { get; private set; } = -1;
    public byte[]? ValidBlockHash => _validValue?.Hash;

    /// <summary>The decision of the current height, once made.</summary>
    public Decided? Decision { get; private set; }

    public bool IsDecided => Decision is not null;

    public ConsensusStats Stats { get; } = new();

    /// <summary>The votes of one round and type of the current height that the engine holds (for the
    /// network layer's gossip, e.g. sending the prevotes that justify a proposal's pol round).</summary>
    public IReadOnlyList<Vote> VotesOf(int round, VoteType type) =>
        _rounds.TryGetValue(round, out var rs) ? [.. rs.Of(type).All] : [];

    /// <summary>The proposal of one round of the current height, if the engine holds one.</summary>
    public Proposal? ProposalOf(int round) => _rounds.TryGetValue(round, out var rs) ? rs.Proposal : null;

    /// <summary>Every proposal and vote of the current height the engine holds, by round (proposal, prevotes,
    /// precommits): what a gossip layer should eventually make every peer have.</summary>
    public IReadOnlyList<object> HeldMessages()
    {
        var messages = new List<object>();
        foreach (var round in _rounds.Keys.Order())
        {
            var rs = _rounds[round];
            if (rs.Proposal is not null) messages.Add(rs.Proposal);
            messages.AddRange(rs.Prevotes.All);
            messages.AddRange(rs.Precommits.All);
        }
        return messages;
    }

    /// <summary>True when this engine signs at the current height (has a key in the current validator set).</summary>
    public bool IsSigning => _key is not null && _validators.Contains(_key.Address);

    /// <summary>
    /// Starts consensus for <paramref name="height"/> (heights only increase), optionally with a new
    /// validator set. If the WAL holds records of this height, they are replayed first (own messages
    /// are re-broadcast, never re-signed differently); otherwise the WAL is reset to this height.
    /// Buffered messages for this height are then processed.
    /// </summary>
    public IReadOnlyList<ConsensusAction> StartHeight(ulong height, ValidatorSet? validators = null)
    {
        if (height == 0) throw new ArgumentOutOfRangeException(nameof(height), "consensus heights start at 1");
        if (_started && height <= Height) throw new InvalidOperationException($"height {height} is not after the current height {Height}");
        Begin();
        if (validators is not null) _validators = validators;
        ResetHeight(height);

        IReadOnlyList<WalRecord>? replay = null;
        if (_wal is not null)
        {
            if (_wal.Height == height) replay = [.. _wal.Records];
            else _wal.Reset(height);
        }
        if (replay is not null)
        {
            foreach (var record in replay)
            {
                if (record is WalOwnProposal own) _ownProposals.TryAdd(own.Proposal.Round, own.Proposal);
                else if (record is WalOwnVote ownVote) _ownVotes.TryAdd((ownVote.Vote.Round, ownVote.Vote.Type), ownVote.Vote);
            }
        }

        StartRound(0);
        Evaluate();

        if (replay is not null)
        {
            _replaying = true;
            try
            {
                foreach (var record in replay)
                {
                    switch (record)
                    {
                        case WalInputProposal p: HandleProposal(p.Proposal); break;
                        case WalInputVote v: HandleVote(v.Vote); break;
                        case WalInputTimeout t: HandleTimeout(t.Timeout); break;
                        case WalOwnVote v: DeliverOwnVote(v.Vote); Evaluate(); break;
                    }
                    Stats.ReplayedRecords++;
                }
            }
            finally
            {
                _replaying = false;
            }
            // Rejections during replay blame no peer.
            _out.RemoveAll(a => a is MessageRejected);
        }

        // The replay normally rebuilds the lock. If the WAL lost the end of the height (or all of it), the
        // own precommits it still holds and the guard's record of the last precommit for a block restore it.
        // (Only now: adopting a later round's lock before replaying earlier rounds would change the replay.)
        foreach (var own in _ownVotes.Values.Where(v => v.Type == VoteType.Precommit && v.BlockHash is not null).ToList())
            AdoptLock(own.Round, own.BlockHash!);
        if (IsSigning && _guard!.LastBlockPrecommit is { } locked && locked.Height == height && locked.BlockHash is not null)
            AdoptLock(locked.Round, locked.BlockHash);

        var buffered = _future.Where(m => m.Height == height).Select(m => m.Message).ToList();
        _future.RemoveAll(m => m.Height <= height);
        _futureSet.Clear();
        foreach (var (_, kept) in _future) _futureSet.Add(kept);
        foreach (var message in buffered)
        {
            if (message is Proposal p) HandleProposal(p);
            else HandleVote((Vote)message);
        }
        return _out;
    }

    /// <summary>A proposal from the network.</summary>
    public IReadOnlyList<ConsensusAction> OnProposal(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        Begin();
        if (Route(proposal.Height, proposal)) HandleProposal(proposal);
        return _out;
    }

    /// <summary>A vote from the network.</summary>
    public IReadOnlyList<ConsensusAction> OnVote(Vote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        Begin();
        if (Route(vote.Height, vote)) HandleVote(vote);
        return _out;
    }

    /// <summary>A timer scheduled by <see cref="ScheduleTimeout"/> fired; stale timeouts are ignored.</summary>
    public IReadOnlyList<ConsensusAction> OnTimeout(Timeout timeout)
    {
        Begin();
        if (_started && !IsDecided) HandleTimeout(timeout);
        return _out;
    }

    private void Begin() => _out = [];

    /// <summary>True when the message is for the current, undecided height; otherwise buffers or rejects it.</summary>
    private bool Route(ulong height, object message)
    {
        if (_started && height == Height)
        {
            if (!IsDecided) return true;
            Reject(RejectReason.StaleHeight, $"height {height} is already decided");
            return false;
        }
        if (_started && height < Height)
        {
            Reject(RejectReason.StaleHeight, $"message for height {height}, current height is {Height}");
            return false;
        }
        if (_started && height - Height > (ulong)_options.FutureHeightWindow)
        {
            Reject(RejectReason.FutureHeight, $"message for height {height} is too far ahead of the current height {Height}");
            return false;
        }
        // A repeat of a buffered message is a duplicate like any other: without this, a node one height
        // behind took every relayed copy as new, and the node's vote relay passed each copy on again, so
        // copies circled between lagging nodes until the buffer was full (thousands of messages a height).
        if (_futureSet.Contains(message))
        {
            Reject(RejectReason.Duplicate, $"message for height {height} is already buffered");
            return false;
        }
        if (_future.Count >= _options.MaxBufferedMessages)
        {
            Reject(RejectReason.FutureHeight, $"future-height buffer is full ({_options.MaxBufferedMessages} messages)");
            return false;
        }
        _future.Add((height, message));
        _futureSet.Add(message);
        Stats.Buffered++;
        return false;
    }

    private void ResetHeight(ulong height)
    {
        _started = true;
        Height = height;
        Round = 0;
        Step = ConsensusStep.Propose;
        Decision = null;
        _rounds.Clear();
        _blocks.Clear();
        _validity.Clear();
        _ownProposals.Clear();
        _ownVotes.Clear();
        _reportedEquivocations.Clear();
        _farAheadRounds.Clear();
        _lockedHash = null;
        LockedRound = -1;
        _validValue = null;
        ValidRound = -1;
    }

    private void HandleProposal(Proposal proposal)
    {
        if (IsDecided)
        {
            Reject(RejectReason.StaleHeight, $"height {Height} is already decided");
            return;
        }
        if (proposal.Round > Round + _options.MaxRoundsAhead)
        {
            // Only the round is used (for round skipping); if that brings it in range it is processed normally.
            if (_validators.Contains(proposal.Proposer) && proposal.Verify(_chainId)) NoteFarAhead(proposal.Proposer, proposal.Round);
            if (IsDecided || proposal.Round > Round + _options.MaxRoundsAhead)
            {
                Reject(RejectReason.RoundTooFar, $"proposal for round {proposal.Round}, current round is {Round}");
                return;
            }
        }
        var expected = _validators.Proposer(Height, proposal.Round);
        if (proposal.Proposer != expected)
        {
            Reject(RejectReason.WrongProposer, $"proposal for round {proposal.Round} by {proposal.Proposer}, the proposer is {expected}");
            return;
        }
        if (_rounds.TryGetValue(proposal.Round, out var existingRound) && existingRound.Proposal is { } existing)
        {
            if (existing.Equals(proposal)) Reject(RejectReason.Duplicate, $"proposal for round {proposal.Round} already received");
            else if (!proposal.Verify(_chainId)) Reject(RejectReason.InvalidSignature, "proposal signature does not recover to its proposer");
            else
            {
                // The proposer equivocated. Its other block may still be the one a quorum precommits (line 49
                // accepts any proposal of the round's proposer), so keep one such block per round.
                if (!existingRound.ExtraBlockKept)
                {
                    existingRound.ExtraBlockKept = true;
                    KeepBlock(proposal.Block);
                    Evaluate();
                }
                Reject(RejectReason.ConflictingProposal, $"a different proposal for round {proposal.Round} was already received from {proposal.Proposer}");
            }
            return;
        }
        if (!proposal.Verify(_chainId))
        {
            Reject(RejectReason.InvalidSignature, "proposal signature does not recover to its proposer");
            return;
        }
        if (!_replaying) _wal?.Append(new WalInputProposal(proposal));
        // A proposal of ours we do not remember (an earlier incarnation's): never sign a different one.
        if (_key is not null && proposal.Proposer == _key.Address) _ownProposals.TryAdd(proposal.Round, proposal);
        StoreProposal(proposal);
        Stats.ProposalsAccepted++;
        Evaluate();
    }

    private void HandleVote(Vote vote)
    {
        if (IsDecided)
        {
            Reject(RejectReason.StaleHeight, $"height {Height} is already decided");
            return;
        }
        if (vote.Round > Round + _options.MaxRoundsAhead)
        {
            if (_validators.Contains(vote.Validator) && vote.Verify(_chainId)) NoteFarAhead(vote.Validator, vote.Round);
            if (IsDecided || vote.Round > Round + _options.MaxRoundsAhead)
            {
                Reject(RejectReason.RoundTooFar, $"vote for round {vote.Round}, current round is {Round}");
                return;
            }
        }
        if (!_validators.TryGetPower(vote.Validator, out var power))
        {
            Reject(RejectReason.NotValidator, $"{vote.Validator} is not a validator at height {Height}");
            return;
        }
        var earlier = _rounds.TryGetValue(vote.Round, out var rs) ? rs.Of(vote.Type).VotesOf(vote.Validator) : null;
        if (earlier is not null)
        {
            if (earlier.Any(e => BlockHashes.Equal(e.BlockHash, vote.BlockHash)))
            {
                Reject(RejectReason.Duplicate, $"{vote} already received");
                return;
            }
            if (!vote.Verify(_chainId))
            {
                Reject(RejectReason.InvalidSignature, $"{vote}: signature does not recover to its validator");
                return;
            }
            var report = _reportedEquivocations.Add((vote.Validator, vote.Round, vote.Type));
            if (report)
            {
                Stats.EvidenceFound++;
                Emit(new EvidenceFound(DoubleSignEvidence.Create(earlier[0], vote)));
            }
            // As in the paper, a vote counts for the value it names, so an equivocator's votes count for each
            // value it voted (once per value; its power counts once in "any value" totals). Only votes that can
            // matter are kept: nil, or a block some proposal of this height carried. This bounds memory.
            if (vote.BlockHash is not null && !_blocks.ContainsKey(BlockHashes.Key(vote.BlockHash)))
            {
                if (!report) Reject(RejectReason.EquivocationAlreadyReported, $"{vote}: conflicting vote for an unknown block, equivocation already reported");
                return;
            }
        }
        else if (!vote.Verify(_chainId))
        {
            Reject(RejectReason.InvalidSignature, $"{vote}: signature does not recover to its validator");
            return;
        }
        if (!_replaying) _wal?.Append(new WalInputVote(vote));
        // A vote of ours we do not remember (an earlier incarnation's): never sign a different one.
        if (_key is not null && vote.Validator == _key.Address) RememberOwnVote(vote);
        AddVote(vote, power);
        Stats.VotesAccepted++;
        Evaluate();
    }

    private void HandleTimeout(Timeout timeout)
    {
        if (timeout.Height != Height || timeout.Round != Round) return;
        switch (timeout.Step)
        {
            case ConsensusStep.Propose when Step == ConsensusStep.Propose:
                LogTimeout(timeout);
                Step = ConsensusStep.Prevote;
                CastVote(VoteType.Prevote, null);
                break;
            case ConsensusStep.Prevote when Step == ConsensusStep.Prevote:
                LogTimeout(timeout);
                Step = ConsensusStep.Precommit;
                CastVote(VoteType.Precommit, null);
                break;
            case ConsensusStep.Precommit:
                LogTimeout(timeout);
                StartRound(Round + 1);
                break;
            default:
                return;
        }
        Evaluate();
    }

    private void LogTimeout(Timeout timeout)
    {
        if (!_replaying) _wal?.Append(new WalInputTimeout(timeout));
    }

    /// <summary>Applies the upon-rules until none fires.</summary>
    private void Evaluate()
    {
        for (var i = 0; i < MaxRuleStepsPerInput; i++)
        {
            if (IsDecided || TryDecide()) return;
            if (TrySkipRound()) continue;
            if (!StepCurrentRound()) return;
        }
        throw new InvalidOperationException("consensus rules did not settle; this is a bug");
    }

    /// <summary>Line 49: a proposal (of any round of this height) for v and a precommit quorum for id(v) in some round r: decide v.</summary>
    private bool TryDecide()
    {
        foreach (var (round, rs) in _rounds)
        {
            var key = rs.Precommits.QuorumBlock(_validators);
            if (key is null || !_blocks.TryGetValue(key, out var block) || !IsValid(block)) continue;
            var signatures = rs.Precommits.All
                .Where(v => BlockHashes.Equal(v.BlockHash, block.Hash))
                .OrderBy(v => v.Validator)
                .Select(v => new CommitSignature(v.Validator, v.Signature))
                .ToList();
            Decision = new Decided(block, new Commit(Height, (ulong)round, block.Hash, signatures));
            Emit(Decision);
            return true;
        }
        return false;
    }

    /// <summary>Line 55: more than 1/3 of the power sent messages for a round above ours: go to that round.</summary>
    private bool TrySkipRound()
    {
        var target = -1;
        foreach (var (round, rs) in _rounds)
        {
            if (round > Round && round > target && _validators.IsMoreThanOneThird(rs.SenderPower)) target = round;
        }
        // Messages too far ahead to be stored: only each validator's highest such round is kept. If more
        // than 1/3 of the power is at round r or beyond, an honest validator has reached r.
        if (_farAheadRounds.Count > 0)
        {
            ulong power = 0;
            foreach (var (validator, round) in _farAheadRounds.OrderByDescending(e => e.Value).ThenBy(e => e.Key))
            {
                if (round <= Round) break;
                power += _validators.PowerOf(validator);
                if (_validators.IsMoreThanOneThird(power))
                {
                    target = Math.Max(target, round);
                    break;
                }
            }
        }
        if (target < 0) return false;
        StartRound(target);
        return true;
    }

    private void NoteFarAhead(Address validator, int round)
    {
        if (_farAheadRounds.GetValueOrDefault(validator, -1) < round) _farAheadRounds[validator] = round;
        Evaluate();
    }

    /// <summary>The rules of the current round (lines 22, 28, 34, 36, 44, 47); true if one fired.</summary>
    private bool StepCurrentRound()
    {
        var rs = RoundOf(Round);
        var proposal = rs.Proposal;
        if (Step == ConsensusStep.Propose && proposal is not null)
        {
            var v = proposal.Block;
            if (proposal.PolRound == -1)
            {
                // Line 22.
                var accept = IsValid(v) && (LockedRound == -1 || IsLockedOn(v));
                Step = ConsensusStep.Prevote;
                CastVote(VoteType.Prevote, accept ? v.Hash : null);
                return true;
            }
            if (_rounds.TryGetValue(proposal.PolRound, out var pol) && _validators.IsQuorum(pol.Prevotes.PowerFor(v.Hash)))
            {
                // Line 28: the proposal is justified by a prevote quorum of its pol round.
                var accept = IsValid(v) && (LockedRound <= proposal.PolRound || IsLockedOn(v));
                Step = ConsensusStep.Prevote;
                CastVote(VoteType.Prevote, accept ? v.Hash : null);
                return true;
            }
        }
        if (Step == ConsensusStep.Prevote && !rs.PrevoteTimeoutScheduled && _validators.IsQuorum(rs.Prevotes.TotalPower))
        {
            // Line 34.
            rs.PrevoteTimeoutScheduled = true;
            Schedule(ConsensusStep.Prevote);
            return true;
        }
        if (Step >= ConsensusStep.Prevote && proposal is not null && !rs.PolkaHandled &&
            _validators.IsQuorum(rs.Prevotes.PowerFor(proposal.Block.Hash)) && IsValid(proposal.Block))
        {
            // Line 36.
            rs.PolkaHandled = true;
            if (Step == ConsensusStep.Prevote)
            {
                // (A lock restored from the guard can be from a later round than one being replayed: keep it.)
                if (Round >= LockedRound)
                {
                    _lockedHash = proposal.Block.Hash;
                    LockedRound = Round;
                }
                Step = ConsensusStep.Precommit;
                CastVote(VoteType.Precommit, proposal.Block.Hash);
            }
            if (Round >= ValidRound)
            {
                _validValue = proposal.Block;
                ValidRound = Round;
            }
            return true;
        }
        if (Step == ConsensusStep.Prevote && _validators.IsQuorum(rs.Prevotes.PowerFor(null)))
        {
            // Line 44.
            Step = ConsensusStep.Precommit;
            CastVote(VoteType.Precommit, null);
            return true;
        }
        if (!rs.PrecommitTimeoutScheduled && _validators.IsQuorum(rs.Precommits.TotalPower))
        {
            // Line 47.
            rs.PrecommitTimeoutScheduled = true;
            Schedule(ConsensusStep.Precommit);
            return true;
        }
        return false;
    }

    /// <summary>StartRound of the paper: the proposer proposes its valid value or a new block; everyone starts the propose timer.</summary>
    private void StartRound(int round)
    {
        Round = round;
        Step = ConsensusStep.Propose;
        var rs = RoundOf(round);
        if (IsSigning && _validators.Proposer(Height, round) == _key!.Address)
        {
            if (!_ownProposals.TryGetValue(round, out var proposal))
            {
                var block = _validValue ?? _buildBlock(Height, round);
                var polRound = _validValue is null ? -1 : ValidRound;
                if (Authorize(round, ConsensusStep.Propose, block.Hash))
                {
                    proposal = Proposal.Create(_chainId, Height, round, polRound, block, _key);
                    _ownProposals[round] = proposal;
                    _wal?.Append(new WalOwnProposal(proposal), sync: true);
                    Stats.SignaturesReleased++;
                }
            }
            if (proposal is not null)
            {
                Emit(new BroadcastProposal(proposal));
                if (rs.Proposal is null) StoreProposal(proposal);
            }
        }
        // Also for the proposer: if its proposal could not be signed it still moves on.
        Schedule(ConsensusStep.Propose);
    }

    private void CastVote(VoteType type, byte[]? blockHash)
    {
        if (!IsSigning) return;
        var step = type == VoteType.Prevote ? ConsensusStep.Prevote : ConsensusStep.Precommit;
        if (_ownVotes.TryGetValue((Round, type), out var earlier))
        {
            if (BlockHashes.Equal(earlier.BlockHash, blockHash))
            {
                Emit(new BroadcastVote(earlier));
                DeliverOwnVote(earlier);
            }
            else
            {
                Stats.SignaturesRefused++;
                Emit(new SignatureRefused(Height, Round, step, $"this validator already signed {earlier}; not signing a different {type} for this round"));
            }
            return;
        }
        if (!_guard!.TryAuthorize(Height, Round, step, blockHash, out var reason))
        {
            // The guard recorded a different signature for exactly this slot, one this engine does not
            // remember (the crash that lost it came between the guard's write and the WAL's). Sending that
            // same message again is safe, and keeps this validator's vote in the round.
            if (_guard.LastSigned is { } recorded && recorded.Height == Height && recorded.Round == Round && recorded.Step == step &&
                _guard.TryAuthorize(Height, Round, step, recorded.BlockHash, out _))
            {
                blockHash = recorded.BlockHash;
                Stats.ResignedFromGuard++;
            }
            else
            {
                Stats.SignaturesRefused++;
                Emit(new SignatureRefused(Height, Round, step, reason));
                return;
            }
        }
        var vote = Vote.Create(_chainId, type, Height, Round, blockHash, _key!);
        RememberOwnVote(vote);
        _wal?.Append(new WalOwnVote(vote), sync: true);
        Stats.SignaturesReleased++;
        Emit(new BroadcastVote(vote));
        DeliverOwnVote(vote);
    }

    private bool Authorize(int round, ConsensusStep step, byte[]? blockHash)
    {
        if (_guard!.TryAuthorize(Height, round, step, blockHash, out var reason)) return true;
        Stats.SignaturesRefused++;
        Emit(new SignatureRefused(Height, round, step, reason));
        return false;
    }

    private void DeliverOwnVote(Vote vote)
    {
        if (vote.Height != Height || !_validators.TryGetPower(vote.Validator, out var power)) return;
        if (_rounds.TryGetValue(vote.Round, out var rs) && rs.Of(vote.Type).VotesOf(vote.Validator) is not null) return;
        AddVote(vote, power);
    }

    private void StoreProposal(Proposal proposal)
    {
        var rs = RoundOf(proposal.Round);
        rs.Proposal = proposal;
        KeepBlock(proposal.Block);
        rs.AddSender(proposal.Proposer, _validators.PowerOf(proposal.Proposer));
    }

    private void KeepBlock(Block block)
    {
        _blocks.TryAdd(BlockHashes.Key(block.Hash), block);
        // The block of a restored lock: it is the valid value of the lock's round.
        if (ValidRound < LockedRound && _lockedHash is not null && _lockedHash.AsSpan().SequenceEqual(block.Hash))
        {
            _validValue = block;
            ValidRound = LockedRound;
        }
    }

    private void RememberOwnVote(Vote vote)
    {
        if (!_ownVotes.TryAdd((vote.Round, vote.Type), vote)) return;
        if (vote.Type == VoteType.Precommit && vote.BlockHash is not null) AdoptLock(vote.Round, vote.BlockHash);
    }

    private void AddVote(Vote vote, ulong power)
    {
        var rs = RoundOf(vote.Round);
        rs.Of(vote.Type).Add(vote, power);
        rs.AddSender(vote.Validator, power);
    }

    private void Schedule(ConsensusStep step) =>
        Emit(new ScheduleTimeout(new Timeout(Height, Round, step), _timeouts.DelayMs(step, Round)));

    /// <summary>valid(v): the block is for this chain and height and the node's validation accepts it. Cached per block hash.</summary>
    private bool IsValid(Block block)
    {
        var key = BlockHashes.Key(block.Hash);
        if (_validity.TryGetValue(key, out var known)) return known;
        bool valid;
        try
        {
            valid = block.Height == Height && block.Header.ChainId == _chainId && _validateBlock(block);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            valid = false;
        }
        _validity[key] = valid;
        return valid;
    }

    private bool IsLockedOn(Block block) => _lockedHash is not null && _lockedHash.AsSpan().SequenceEqual(block.Hash);

    /// <summary>
    /// A validator's lock is its latest precommit for a block: learning of such a precommit of its own
    /// (from the guard, the WAL or the network) that is newer than the current lock restores the lock,
    /// and the block, once known, becomes the valid value of that round.
    /// </summary>
    private void AdoptLock(int round, byte[] blockHash)
    {
        if (round <= LockedRound) return;
        _lockedHash = blockHash;
        LockedRound = round;
        if (round > ValidRound && _blocks.TryGetValue(BlockHashes.Key(blockHash), out var block))
        {
            _validValue = block;
            ValidRound = round;
        }
    }

    private RoundState RoundOf(int round)
    {
        if (!_rounds.TryGetValue(round, out var rs))
        {
            rs = new RoundState();
            _rounds[round] = rs;
        }
        return rs;
    }

    private void Emit(ConsensusAction action) => _out.Add(action);

    private void Reject(RejectReason reason, string detail)
    {
        Stats.CountRejected(reason);
        Emit(new MessageRejected(reason, detail));
    }
}
