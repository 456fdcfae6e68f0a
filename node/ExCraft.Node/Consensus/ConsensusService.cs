using System.Threading.Channels;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Production;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Consensus;
using ExCraft.Consensus.Gossip;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Consensus;
using ExCraft.Core.Encoding;
using ExCraft.Network;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExCraft.Node.Consensus;

/// <summary>
/// Drives the BFT engine for this node: one loop owns the engine and feeds it proposals and votes
/// from peers, timer firings and synced blocks, and carries out what it asks (broadcast, schedule,
/// commit). A node that falls behind fetches committed blocks from peers and imports them.
/// </summary>
public sealed class ConsensusService(
    Blockchain chain,
    BlockImporter importer,
    ProposalSource proposals,
    TransactionPool mempool,
    INetwork network,
    ConsensusSetup setup,
    NodeMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<ConsensusService> logger) : BackgroundService
{
    private const int MaxClockDriftMs = 10_000;
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<Input> _inputs = Channel.CreateBounded<Input>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, BlockExecution> _executions = [];
    private readonly Dictionary<Address, ulong> _peerHeights = [];
    private const int MaxPartSets = 32;
    private readonly Dictionary<string, BlockPartSet> _partSets = [];
    private readonly Dictionary<string, (ProposalHeader Header, IReadOnlyList<BlockPart> Parts)> _ownSplits = [];
    private ConsensusEngine? _engine;
    private CancellationToken _stopping;
    private DateTimeOffset _lastSyncRequest;

    private abstract record Input;
    private sealed record HeaderIn(Address Peer, ProposalHeader Header) : Input;
    private sealed record PartIn(Address Peer, BlockPart Part) : Input;
    private sealed record VoteIn(Address Peer, Vote Vote) : Input;
    private sealed record TimeoutIn(ExCraft.Consensus.Timeout Timeout) : Input;
    private sealed record BlocksIn(Address Peer, List<(Block Block, Commit Commit)> Blocks) : Input;
    private sealed record StatusIn(Address Peer, ulong Height) : Input;
    private sealed record StartNextHeight(ulong Height) : Input;
    private sealed record Tick : Input;
    private sealed record PeerJoined(Address Peer) : Input;

    /// <summary>How long a height may run before this node starts re-sending what it holds of it.</summary>
    private static readonly TimeSpan RegossipAfter = TimeSpan.FromSeconds(2);
    private DateTimeOffset _heightStarted = DateTimeOffset.UtcNow;

    private long _bestPeerHeight;

    /// <summary>The highest height a peer has reported (what a syncing node is catching up to).</summary>
    public ulong BestPeerHeight => (ulong)Interlocked.Read(ref _bestPeerHeight);

    /// <summary>The height the engine works on, for metrics and status.</summary>
    public ulong Height => _engine?.Height ?? chain.Head.Height + 1;
    public int Round => _engine?.Round ?? 0;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        network.OnMessage(MessageTypes.Proposal, (peer, payload, _) => Post(peer, () => new HeaderIn(peer.NodeId, ProposalHeader.Decode(Rlp.Decode(payload)))));
        network.OnMessage(MessageTypes.BlockPart, (peer, payload, _) => Post(peer, () => new PartIn(peer.NodeId, BlockPart.Decode(Rlp.Decode(payload)))));
        network.OnMessage(MessageTypes.Vote, (peer, payload, _) => Post(peer, () => new VoteIn(peer.NodeId, Vote.Decode(Rlp.Decode(payload)))));
        network.OnMessage(MessageTypes.Status, (peer, payload, _) => Post(peer, () => new StatusIn(peer.NodeId, ChainMessages.DecodeStatus(payload).Height)));
        network.OnMessage(MessageTypes.BlockResponse, (peer, payload, _) => Post(peer, () => new BlocksIn(peer.NodeId, ChainMessages.DecodeBlockResponse(payload))));
        network.OnMessage(MessageTypes.BlockRequest, (peer, payload, _) =>
        {
            try
            {
                var (from, count) = ChainMessages.DecodeBlockRequest(payload);
                var blocks = new List<(Block, Commit)>();
                for (var h = from; h < from + (ulong)count && h <= chain.Head.Height; h++)
                {
                    if (chain.GetBlock(h) is { } block && chain.GetCommit(h) is { } commit) blocks.Add((block, commit));
                }
                if (blocks.Count > 0) network.Send(peer.NodeId, MessageTypes.BlockResponse, ChainMessages.BlockResponse(blocks));
            }
            catch (FormatException e)
            {
                network.Penalize(peer.NodeId, $"malformed block request: {e.Message}", 20);
            }
            return ValueTask.CompletedTask;
        });
        network.PeerConnected += peer =>
        {
            network.Send(peer.NodeId, MessageTypes.Status, ChainMessages.Status(chain.Head.Height, chain.Head.BlockHash));
            _inputs.Writer.TryWrite(new PeerJoined(peer.NodeId));
        };
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Decodes on the network thread (a malformed message costs the sender score) and queues for the loop.</summary>
    private ValueTask Post(IPeer peer, Func<Input> decode)
    {
        try
        {
            _inputs.Writer.TryWrite(decode());
        }
        catch (FormatException e)
        {
            network.Penalize(peer.NodeId, $"malformed consensus message: {e.Message}", 20);
        }
        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        _stopping = stopping;
        await Task.Yield();
        try
        {
            StartHeight(chain.Head.Height + 1);
            _ = TickAsync(stopping);
            await foreach (var input in _inputs.Reader.ReadAllAsync(stopping)) Handle(input);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "consensus failed at height {Height}; stopping the node", Height);
            lifetime.StopApplication();
        }
    }

    private async Task TickAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(StatusInterval);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false)) _inputs.Writer.TryWrite(new Tick());
    }

    private void Handle(Input input)
    {
        switch (input)
        {
            case HeaderIn h: OnProposalHeader(h); break;
            case PartIn p: OnBlockPart(p); break;
            case VoteIn v: OnVote(v); break;
            case TimeoutIn t: Apply(_engine!.OnTimeout(t.Timeout), null); break;
            case StartNextHeight s when s.Height == chain.Head.Height + 1 && s.Height > _engine!.Height: StartHeight(s.Height); break;
            case StatusIn s:
                _peerHeights[s.Peer] = s.Height;
                Interlocked.Exchange(ref _bestPeerHeight, (long)_peerHeights.Values.Max());
                RequestBlocksIfBehind();
                break;
            case BlocksIn b: ImportSynced(b); break;
            case Tick:
                network.Broadcast(MessageTypes.Status, ChainMessages.Status(chain.Head.Height, chain.Head.BlockHash));
                RequestBlocksIfBehind();
                if (DateTimeOffset.UtcNow - _heightStarted > RegossipAfter) Regossip(null);
                break;
            case PeerJoined j:
                Regossip(j.Peer);
                break;
        }
    }

    /// <summary>
    /// Gossip repair: votes and proposals of the current height's latest rounds, to one peer that
    /// just connected or to all when the height is slow (a restarted or partitioned validator
    /// missed them, and without them the rounds never line up again).
    /// </summary>
    private void Regossip(Address? peer)
    {
        if (_engine is null || _engine.IsDecided) return;
        var fromRound = Math.Max(0, _engine.Round - 1);
        foreach (var message in _engine.HeldMessages())
        {
            switch (message)
            {
                case Proposal p when p.Round >= fromRound: SendProposal(p, peer); break;
                case Vote v when v.Round >= fromRound: Send(peer, MessageTypes.Vote, v.Encode()); break;
            }
        }
    }

    /// <summary>
    /// A vote the engine took is passed on to the other peers, so validators that are not directly
    /// connected still hear each other at once; a repeat is refused as a duplicate before any
    /// signature check, which ends the flood.
    /// </summary>
    private void OnVote(VoteIn input)
    {
        var actions = _engine!.OnVote(input.Vote);
        Apply(actions, input.Peer);
        if (!actions.Any(a => a is MessageRejected)) network.Broadcast(MessageTypes.Vote, input.Vote.Encode(), except: input.Peer);
    }

    /// <summary>A signed proposal header opens a part set for its block (current or next height; bounded).</summary>
    private void OnProposalHeader(HeaderIn input)
    {
        var header = input.Header;
        var current = _engine?.Height ?? chain.Head.Height + 1;
        if (header.Height < current || header.Height > current + 1) return;
        var key = PartSetKey(header.Height, header.Round, header.BlockHash, header.PartsRoot);
        if (_partSets.ContainsKey(key) || _partSets.Count >= MaxPartSets) return;
        if (!header.VerifySignature(setup.ChainId))
        {
            network.Penalize(input.Peer, "proposal header with an invalid signature", 20);
            return;
        }
        _partSets[key] = new BlockPartSet(header);
    }

    /// <summary>Parts are checked against their header's root as they come; a complete set becomes the proposal.</summary>
    private void OnBlockPart(PartIn input)
    {
        var part = input.Part;
        foreach (var (key, set) in _partSets.Where(s => s.Value.Header.Height == part.Height && s.Value.Header.Round == part.Round
                     && s.Value.Header.BlockHash.AsSpan().SequenceEqual(part.BlockHash)).ToList())
        {
            if (set.IsComplete) continue;
            if (!set.TryAdd(part, out var error))
            {
                network.Penalize(input.Peer, $"bad block part: {error}", 5);
                continue;
            }
            if (!set.IsComplete) continue;
            Proposal proposal;
            try
            {
                proposal = set.Assemble();
            }
            catch (FormatException e)
            {
                logger.LogWarning("proposal parts for block {Height} round {Round} do not make the signed block: {Reason}", part.Height, part.Round, e.Message);
                _partSets.Remove(key);
                continue;
            }
            if (_engine is not null) Apply(_engine.OnProposal(proposal), input.Peer);
        }
    }

    private static string PartSetKey(ulong height, int round, byte[] blockHash, byte[] root) => $"{height}/{round}/{Hex.Encode(blockHash)}/{Hex.Encode(root)}";

    /// <summary>Sends a proposal as its signed header followed by its parts (split once per proposal).</summary>
    private void SendProposal(Proposal proposal, Address? peer)
    {
        var key = $"{proposal.Height}/{proposal.Round}/{Hex.Encode(proposal.Block.Hash)}";
        if (!_ownSplits.TryGetValue(key, out var split)) _ownSplits[key] = split = BlockPartSet.Split(proposal);
        Send(peer, MessageTypes.Proposal, split.Header.Encode());
        foreach (var part in split.Parts) Send(peer, MessageTypes.BlockPart, part.Encode());
    }

    private void Send(Address? peer, uint type, byte[] payload)
    {
        if (peer is { } one) network.Send(one, type, payload);
        else network.Broadcast(type, payload);
    }

    private void StartHeight(ulong height)
    {
        _heightStarted = DateTimeOffset.UtcNow;
        _executions.Clear();
        _ownSplits.Clear();
        foreach (var key in _partSets.Where(s => s.Value.Header.Height < height).Select(s => s.Key).ToList()) _partSets.Remove(key);
        var set = StakingState.ReadActiveSet(chain.State);
        var validators = new ValidatorSet(set.Validators.Select(v => (v.ConsensusAddress, v.Power)));
        _engine ??= setup.CreateEngine(validators, BuildBlock, ValidateBlock);
        metrics.OnHeightStarted(height);
        Apply(_engine.StartHeight(height, validators), null);
    }

    private Block BuildBlock(ulong height, int round)
    {
        var producer = proposals.Producer ?? throw new InvalidOperationException("a node without a validator key was asked to propose");
        var (block, execution) = producer.BuildProposal((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _executions[Hex.Encode(block.Hash)] = execution;
        logger.LogDebug("proposing block {Height} round {Round} with {Count} transactions", height, round, block.Transactions.Count);
        return block;
    }

    private bool ValidateBlock(Block block)
    {
        try
        {
            _executions[Hex.Encode(block.Hash)] = importer.Verify(block, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + MaxClockDriftMs);
            return true;
        }
        catch (Exception e) when (e is InvalidBlockException or FormatException)
        {
            logger.LogWarning("rejecting proposed block {Height}: {Reason}", block.Height, e.Message);
            return false;
        }
    }

    private void Apply(IReadOnlyList<ConsensusAction> actions, Address? from)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case BroadcastProposal p:
                    SendProposal(p.Proposal, null);
                    break;
                case BroadcastVote v:
                    network.Broadcast(MessageTypes.Vote, v.Vote.Encode());
                    break;
                case ScheduleTimeout t:
                    _ = Task.Delay(t.DelayMs, _stopping).ContinueWith(_ => _inputs.Writer.TryWrite(new TimeoutIn(t.Timeout)), TaskContinuationOptions.OnlyOnRanToCompletion);
                    break;
                case Decided d:
                    CommitDecided(d.Block, d.Commit);
                    break;
                case EvidenceFound e:
                    logger.LogWarning("validator {Validator} double-signed at height {Height} round {Round}", e.Evidence.A.Validator, e.Evidence.A.Height, e.Evidence.A.Round);
                    setup.Evidence.Report(e.Evidence);
                    network.Broadcast(MessageTypes.Evidence, e.Evidence.Encode());
                    break;
                case MessageRejected r when from is { } peer && IsFault(r.Reason):
                    network.Penalize(peer, $"invalid consensus message: {r.Reason} {r.Detail}", 5);
                    break;
                case SignatureRefused s:
                    logger.LogError("refused to sign at height {Height} round {Round} step {Step}: {Reason}", s.Height, s.Round, s.Step, s.Reason);
                    break;
            }
        }
    }

    /// <summary>
    /// Only messages no honest peer sends cost score: late, early, duplicate or relayed messages
    /// are normal in gossip (a vote for a decided height arrives after the quorum, for instance).
    /// </summary>
    private static bool IsFault(ExCraft.Consensus.RejectReason reason) =>
        reason is ExCraft.Consensus.RejectReason.InvalidSignature or ExCraft.Consensus.RejectReason.NotValidator or ExCraft.Consensus.RejectReason.WrongProposer;

    private void CommitDecided(Block block, Commit commit)
    {
        if (block.Height != chain.Head.Height + 1) return; // already imported through sync
        var execution = _executions.GetValueOrDefault(Hex.Encode(block.Hash)) ?? importer.Verify(block);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        importer.CommitVerified(block, commit, execution);
        mempool.OnBlockCommitted(execution);
        metrics.OnBlockCommitted(block, commit, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        logger.LogInformation("committed block {Height} round {Round}: {Count} transactions, {Signers} signatures",
            block.Height, commit.Round, block.Transactions.Count, commit.Signatures.Count);
        network.Broadcast(MessageTypes.Status, ChainMessages.Status(chain.Head.Height, chain.Head.BlockHash));
        ScheduleNextHeight();
    }

    /// <summary>The next height starts after the block interval, so proposals gather transactions (Tendermint's commit timeout).</summary>
    private void ScheduleNextHeight()
    {
        var next = chain.Head.Height + 1;
        _ = Task.Delay(TimeSpan.FromMilliseconds(setup.CommitDelayMs), _stopping)
            .ContinueWith(_ => _inputs.Writer.TryWrite(new StartNextHeight(next)), TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    private void RequestBlocksIfBehind()
    {
        var head = chain.Head.Height;
        var best = _peerHeights.Where(p => p.Value > head).OrderByDescending(p => p.Value).FirstOrDefault();
        if (best.Value <= head) return;
        // One block ahead may just be the peer committing first; consensus catches up by itself then.
        if (best.Value == head + 1 && _engine is { Height: var h } && h == head + 1 && DateTimeOffset.UtcNow - _lastSyncRequest < TimeSpan.FromSeconds(3)) return;
        if (DateTimeOffset.UtcNow - _lastSyncRequest < TimeSpan.FromMilliseconds(500)) return;
        _lastSyncRequest = DateTimeOffset.UtcNow;
        metrics.Syncing = best.Value > head + 1;
        network.Send(best.Key, MessageTypes.BlockRequest, ChainMessages.BlockRequest(head + 1, ChainMessages.MaxBlocksPerResponse));
    }

    private void ImportSynced(BlocksIn input)
    {
        var imported = 0;
        foreach (var (block, commit) in input.Blocks.OrderBy(b => b.Block.Height))
        {
            if (block.Height <= chain.Head.Height) continue;
            if (block.Height != chain.Head.Height + 1) break;
            try
            {
                var execution = importer.Verify(block);
                importer.CommitVerified(block, commit, execution);
                mempool.OnBlockCommitted(execution);
                metrics.OnBlockCommitted(block, commit, TimeSpan.Zero);
                imported++;
            }
            catch (InvalidBlockException e)
            {
                logger.LogWarning("peer {Peer} sent an invalid block {Height}: {Reason}", input.Peer, block.Height, e.Message);
                network.Penalize(input.Peer, $"invalid block: {e.Message}", 50);
                break;
            }
        }
        if (imported == 0) return;
        var target = _peerHeights.Values.DefaultIfEmpty(0UL).Max();
        logger.LogInformation("synced {Count} blocks to height {Height} of {Target} ({Percent}%)", imported, chain.Head.Height, target,
            target == 0 ? 100 : Math.Min(100, chain.Head.Height * 100 / target));
        metrics.Syncing = chain.Head.Height < target;
        StartHeight(chain.Head.Height + 1);
        RequestBlocksIfBehind();
    }
}
