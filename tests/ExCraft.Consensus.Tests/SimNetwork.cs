using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Consensus.Tests;

internal sealed class SimulatedCrash : Exception;

/// <summary>The file guard, plus a switch that "crashes the process" right after the guard's next write.</summary>
internal sealed class CrashingGuard(IDoubleSignGuard inner) : IDoubleSignGuard
{
    public bool CrashAfterNextAuthorization { get; set; }

    public SignedPosition? LastSigned => inner.LastSigned;

    public SignedPosition? LastBlockPrecommit => inner.LastBlockPrecommit;

    public bool TryAuthorize(ulong height, int round, ConsensusStep step, byte[]? blockHash, out string reason)
    {
        var authorized = inner.TryAuthorize(height, round, step, blockHash, out reason);
        if (authorized && CrashAfterNextAuthorization)
        {
            CrashAfterNextAuthorization = false;
            throw new SimulatedCrash();
        }
        return authorized;
    }
}

/// <summary>A set of nodes that cannot talk to the rest from <see cref="StartMs"/> until <see cref="HealMs"/>.</summary>
internal sealed record SimPartition(IReadOnlySet<int> Group, long StartMs, long HealMs);

internal sealed record SimOptions
{
    public int Nodes { get; init; } = 4;
    public ulong[]? Powers { get; init; }
    public int MinDelayMs { get; init; } = 5;
    public int MaxDelayMs { get; init; } = 40;
    public double LossProbability { get; init; }
    public double DuplicateProbability { get; init; }
    /// <summary>Heavy tail: this share of messages takes <see cref="SlowDelayMs"/> instead (views diverge, rounds fail in odd ways).</summary>
    public double SlowProbability { get; init; }
    public int SlowDelayMs { get; init; } = 2000;
    public IReadOnlyList<SimPartition> Partitions { get; init; } = [];
    public int GossipIntervalMs { get; init; } = 250;
    public ConsensusTimeouts Timeouts { get; init; } = new(300, 150, 150, 50);
    /// <summary>Byzantine nodes: they propose two blocks and vote for every value they know (see ByzantineVote).</summary>
    public IReadOnlySet<int> Byzantine { get; init; } = new HashSet<int>();
    /// <summary>Honest nodes use a FileDoubleSignGuard and a ConsensusWal on disk; required for crashes.</summary>
    public bool Durable { get; init; }
    public int Crashes { get; init; }
    public long CrashWindowMs { get; init; } = 20_000;
    public int TargetHeights { get; init; } = 4;
    public long MaxTimeMs { get; init; } = 120_000;
    public int MaxEvents { get; init; } = 2_000_000;
}

internal enum WireKind
{
    Proposal,
    Vote,
    Sync,
}

/// <summary>A message on the simulated wire: consensus messages travel encoded and are decoded on arrival.</summary>
internal sealed record Wire(int From, WireKind Kind, byte[] Payload, Block? SyncBlock = null, Commit? SyncCommit = null);

internal sealed class SimNode(int index, PrivateKey key, bool byzantine)
{
    public int Index { get; } = index;
    public PrivateKey Key { get; } = key;
    public bool Byzantine { get; } = byzantine;
    public ConsensusEngine? Engine { get; set; }
    public bool Down { get; set; }
    public int Incarnation { get; set; }
    public bool CrashDuringNextCall { get; set; }
    public List<(Block Block, Commit Commit)> Chain { get; } = [];
    /// <summary>Byzantine nodes: the messages they sent at the current height, re-sent periodically.</summary>
    public List<Wire> Gossip { get; } = [];
    public int GossipCursor { get; set; }
    public IDoubleSignGuard? MemoryGuard { get; set; }
    public CrashingGuard? CrashGuard { get; set; }
    public ConsensusWal? Wal { get; set; }
    public string? GuardPath { get; set; }
    public string? WalPath { get; set; }
    public Dictionary<(int Peer, ulong Height), long> SyncSentAt { get; } = [];
    /// <summary>Byzantine nodes: block hashes seen proposed, per height.</summary>
    public Dictionary<ulong, List<byte[]>> KnownBlocks { get; } = [];

    public byte[] HeadHash => Chain.Count == 0 ? TestChain.GenesisHash : Chain[^1].Block.Hash;
    public ulong NextHeight => (ulong)Chain.Count + 1;
}

/// <summary>
/// Deterministic discrete-event simulation of N consensus engines: virtual clock, per-message random
/// delay (so reordering), loss, duplication and timed partitions; periodic gossip of each node's own
/// messages; block sync for nodes that fall a height behind; optional crashes with WAL + guard restarts.
/// Records safety violations instead of throwing so tests can report them all.
/// </summary>
internal sealed class SimNetwork : IDisposable
{
    private const ulong ChainId = TestChain.ChainId;

    private readonly PriorityQueue<Action, (long Time, long Seq)> _queue = new();
    private readonly SimOptions _options;
    private readonly TempDirectory? _directory;
    private long _sequence;

    public SimNetwork(SimOptions options, int seed)
    {
        _options = options;
        Rng = new Random(seed);
        var keys = TestKeys.Keys(options.Nodes);
        Validators = new ValidatorSet(keys.Select((k, i) => (k.Address, options.Powers?[i] ?? 10UL)));
        Nodes = keys.Select((k, i) => new SimNode(i, k, options.Byzantine.Contains(i))).ToArray();
        if (options.Durable)
        {
            _directory = new TempDirectory();
            foreach (var n in Nodes.Where(n => !n.Byzantine))
            {
                n.GuardPath = _directory.File($"node{n.Index}.guard");
                n.WalPath = _directory.File($"node{n.Index}.wal");
                FileDoubleSignGuard.CreateNew(n.GuardPath);
            }
        }
        foreach (var n in Nodes)
        {
            At(Rng.Next(0, 20), () => Boot(n));
            var offset = Rng.Next(1, options.GossipIntervalMs);
            At(offset, () => GossipTick(n));
        }
        var honest = Nodes.Where(n => !n.Byzantine).ToArray();
        for (var i = 0; i < options.Crashes; i++)
        {
            var node = honest[Rng.Next(honest.Length)];
            var kind = Rng.Next(4);
            At(Rng.NextInt64(100, options.CrashWindowMs), () => ScheduleCrash(node, kind));
        }
    }

    public Random Rng { get; }
    public long Now { get; private set; }
    public ValidatorSet Validators { get; }
    public SimNode[] Nodes { get; }
    public IEnumerable<SimNode> Honest => Nodes.Where(n => !n.Byzantine);

    /// <summary>Block hash decided at each height by the first honest node to decide it.</summary>
    public Dictionary<ulong, byte[]> Decisions { get; } = [];
    /// <summary>Virtual time at which each height was first decided.</summary>
    public Dictionary<ulong, long> DecisionTimes { get; } = [];
    public List<string> Violations { get; } = [];
    public List<(int Node, DoubleSignEvidence Evidence)> Evidence { get; } = [];
    public int Events { get; private set; }
    public int Rejections { get; private set; }
    public int Refusals { get; private set; }
    public int Restarts { get; private set; }
    /// <summary>Restarts that replayed WAL records of the height they resumed.</summary>
    public int Replays { get; private set; }
    public int Syncs { get; private set; }
    public int EngineDecisions { get; private set; }

    private readonly Dictionary<(int Node, ulong Height, int Round, VoteType Type), byte[]?> _sentVotes = [];
    private readonly Dictionary<(int Node, ulong Height, int Round), byte[]> _sentProposals = [];

    /// <summary>Runs until every honest node has decided <paramref name="heights"/> heights or a limit is hit; true if they did.</summary>
    public bool RunUntilHeights(int heights)
    {
        bool Done() => Honest.All(n => n.Chain.Count >= heights);
        while (_queue.TryDequeue(out var action, out var when))
        {
            if (when.Time > _options.MaxTimeMs || Events >= _options.MaxEvents) break;
            Now = when.Time;
            action();
            Events++;
            if (Done()) return true;
        }
        return Done();
    }

    public string Describe() =>
        $"t={Now}ms events={Events} heights=[{string.Join(",", Nodes.Select(n => n.Chain.Count))}] rounds=[{string.Join(",", Nodes.Select(n => n.Engine?.Round.ToString() ?? "down"))}] " +
        $"rejections={Rejections} refusals={Refusals} restarts={Restarts} replays={Replays} syncs={Syncs} violations: {string.Join("; ", Violations.Take(5))}";

    private void At(long time, Action action) => _queue.Enqueue(action, (time, _sequence++));

    private void Boot(SimNode n)
    {
        IDoubleSignGuard guard;
        ConsensusWal? wal = null;
        if (n.GuardPath is not null)
        {
            // What a node does on start: its own precommits in the last committed blocks bound the guard.
            var own = n.Chain.TakeLast(10)
                .SelectMany(c => c.Commit.Signatures.Where(s => s.Validator == n.Key.Address)
                    .Select(_ => (c.Commit.Height, (int)c.Commit.Round, VoteType.Precommit)))
                .ToList();
            try
            {
                n.CrashGuard = new CrashingGuard(FileDoubleSignGuard.Open(n.GuardPath, own));
                guard = n.CrashGuard;
            }
            catch (DoubleSignRiskException e)
            {
                Violations.Add($"node {n.Index} guard refused to open: {e.Message}");
                return;
            }
            wal = ConsensusWal.Open(n.WalPath!, syncEveryRecord: false);
            n.Wal = wal;
        }
        else
        {
            guard = n.MemoryGuard ??= new InMemoryDoubleSignGuard();
        }
        n.Engine = new ConsensusEngine(ChainId, Validators, n.Key, _options.Timeouts,
            (h, r) => TestChain.MakeBlock(h, n.HeadHash, (ulong)Now + 1, n.Key.Address, (ulong)Rng.NextInt64()),
            b => b.Header.PreviousHash.AsSpan().SequenceEqual(n.HeadHash) && Validators.Contains(b.Header.Proposer),
            guard, wal);
        n.Gossip.Clear();
        var engine = n.Engine;
        Call(n, () => engine.StartHeight(n.NextHeight));
        if (engine.Stats.ReplayedRecords > 0) Replays++;
    }

    /// <summary>
    /// Feeds the engine. A pending mid-call crash strikes right after the guard's next write (or at the end
    /// of the call if it signs nothing): the outputs are never sent, the guard keeps what it wrote, and the
    /// WAL keeps everything up to its last own (fsynced) record plus a random part of the unsynced input
    /// records after it (a power loss may drop them).
    /// </summary>
    private IReadOnlyList<ConsensusAction>? Call(SimNode n, Func<IReadOnlyList<ConsensusAction>> input)
    {
        if (n.CrashDuringNextCall && n.Wal is not null && n.CrashGuard is not null)
        {
            n.CrashDuringNextCall = false;
            var height = n.Wal.Height;
            var before = new FileInfo(n.WalPath!).Length;
            n.CrashGuard.CrashAfterNextAuthorization = true;
            try
            {
                input();
            }
            catch (SimulatedCrash)
            {
            }
            n.CrashGuard.CrashAfterNextAuthorization = false;
            var sameHeight = n.Wal.Height == height;
            n.Wal.Dispose();
            n.Wal = null;
            var after = new FileInfo(n.WalPath!).Length;
            if (sameHeight && after > before)
            {
                var floor = EndOfLastOwnRecord(n.WalPath!, before);
                using var stream = new FileStream(n.WalPath!, FileMode.Open, FileAccess.Write);
                stream.SetLength(floor + Rng.NextInt64(0, after - floor + 1));
            }
            Crash(n, tornTail: false);
            return null;
        }
        var actions = input();
        Apply(n, actions);
        return actions;
    }

    /// <summary>Offset just past the last own-message record (kinds 5, 6) at or after <paramref name="from"/>, else <paramref name="from"/>.</summary>
    private static long EndOfLastOwnRecord(string walPath, long from)
    {
        var bytes = File.ReadAllBytes(walPath);
        var offset = (int)from;
        var floor = from;
        while (offset + 8 <= bytes.Length)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
            if (offset + 8 + length > bytes.Length) break;
            var kind = ExCraft.Core.Encoding.Rlp.Decode(bytes.AsSpan(offset + 8, length)).Items[0].AsUInt64();
            offset += 8 + length;
            if (kind is 5 or 6) floor = offset;
        }
        return floor;
    }

    private void Apply(SimNode n, IReadOnlyList<ConsensusAction> actions)
    {
        var engine = n.Engine!;
        var height = engine.Height;
        foreach (var action in actions)
        {
            switch (action)
            {
                case BroadcastProposal bp:
                {
                    var p = bp.Proposal;
                    if (n.Byzantine)
                    {
                        ByzantinePropose(n, p, height);
                        break;
                    }
                    if (_sentProposals.TryGetValue((n.Index, p.Height, p.Round), out var earlier) && !earlier.AsSpan().SequenceEqual(p.Block.Hash))
                        Violations.Add($"node {n.Index} proposed two blocks at height {p.Height} round {p.Round}");
                    _sentProposals[(n.Index, p.Height, p.Round)] = p.Block.Hash;
                    Send(n, new Wire(n.Index, WireKind.Proposal, p.Encode()));
                    SendProofOfLock(n, p);
                    break;
                }
                case BroadcastVote bv:
                {
                    var v = bv.Vote;
                    if (n.Byzantine)
                    {
                        ByzantineVote(n, v, height);
                        break;
                    }
                    var key = (n.Index, v.Height, v.Round, v.Type);
                    if (_sentVotes.TryGetValue(key, out var earlier) && !SameHash(earlier, v.BlockHash))
                        Violations.Add($"node {n.Index} sent conflicting {v.Type}s at height {v.Height} round {v.Round}");
                    _sentVotes[key] = v.BlockHash;
                    Send(n, new Wire(n.Index, WireKind.Vote, v.Encode()));
                    break;
                }
                case ScheduleTimeout st:
                {
                    var incarnation = n.Incarnation;
                    At(Now + st.DelayMs, () =>
                    {
                        if (!n.Down && n.Incarnation == incarnation && n.Engine is not null) Call(n, () => n.Engine.OnTimeout(st.Timeout));
                    });
                    break;
                }
                case Decided d:
                    EngineDecisions++;
                    Commit(n, d.Block, d.Commit);
                    break;
                case EvidenceFound e:
                    Evidence.Add((n.Index, e.Evidence));
                    break;
                case MessageRejected:
                    Rejections++;
                    break;
                case SignatureRefused:
                    Refusals++;
                    break;
            }
            if (n.Engine != engine) return; // crashed while applying
        }
    }

    private void Commit(SimNode n, Block block, Commit commit)
    {
        var h = block.Height;
        if (h != n.NextHeight)
        {
            Violations.Add($"node {n.Index} decided height {h} while at {n.NextHeight}");
            return;
        }
        var error = TestChain.CheckCommit(ChainId, Validators, block, commit);
        if (error is not null) Violations.Add($"node {n.Index} height {h}: commit does not verify: {error}");
        if (!n.Byzantine)
        {
            if (Decisions.TryGetValue(h, out var first))
            {
                if (!first.AsSpan().SequenceEqual(block.Hash)) Violations.Add($"SAFETY: node {n.Index} decided a different block at height {h}");
            }
            else
            {
                Decisions[h] = block.Hash;
                DecisionTimes[h] = Now;
            }
        }
        n.Chain.Add((block, commit));
        n.Gossip.Clear();
        Call(n, () => n.Engine!.StartHeight(h + 1));
    }

    private void Send(SimNode n, Wire wire)
    {
        foreach (var peer in Nodes)
        {
            if (peer != n) Deliver(n.Index, peer.Index, wire);
        }
    }

    /// <summary>Puts one message on the wire from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private void Deliver(int from, int to, Wire wire)
    {
        if (Partitioned(from, to) || Rng.NextDouble() < _options.LossProbability) return;
        var copies = Rng.NextDouble() < _options.DuplicateProbability ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            var delay = Rng.NextDouble() < _options.SlowProbability ? Rng.Next(_options.MaxDelayMs, _options.SlowDelayMs + 1) : Rng.Next(_options.MinDelayMs, _options.MaxDelayMs + 1);
            At(Now + delay, () => Receive(to, wire));
        }
    }

    private void Receive(int to, Wire wire)
    {
        var n = Nodes[to];
        if (n.Down || n.Engine is null || Partitioned(wire.From, to)) return;
        switch (wire.Kind)
        {
            case WireKind.Proposal:
            {
                var p = Proposal.Decode(wire.Payload);
                OfferSync(n, wire.From, p.Height);
                if (n.Byzantine && !KnownBlocks(n, p.Height).Any(b => b.AsSpan().SequenceEqual(p.Block.Hash))) KnownBlocks(n, p.Height).Add(p.Block.Hash);
                var current = n.Engine.Height;
                var actions = Call(n, () => n.Engine.OnProposal(p));
                if (p.Height == current) Relay(n, wire, actions);
                break;
            }
            case WireKind.Vote:
            {
                var v = Vote.Decode(wire.Payload);
                OfferSync(n, wire.From, v.Height);
                var current = n.Engine.Height;
                var actions = Call(n, () => n.Engine.OnVote(v));
                if (v.Height == current) Relay(n, wire, actions);
                break;
            }
            case WireKind.Sync:
            {
                var block = wire.SyncBlock!;
                if (block.Height != n.NextHeight || n.Engine.Height != block.Height || n.Engine.IsDecided) return;
                if (TestChain.CheckCommit(ChainId, Validators, block, wire.SyncCommit!) is not null) return;
                Syncs++;
                Commit(n, block, wire.SyncCommit!);
                break;
            }
        }
    }

    /// <summary>As Tendermint's gossip does, a proposal that claims a pol round goes out with the prevotes
    /// that justify it (when the engine holds them).</summary>
    private void SendProofOfLock(SimNode n, Proposal p)
    {
        if (p.PolRound < 0 || n.Engine is null || n.Engine.Height != p.Height) return;
        foreach (var vote in n.Engine.VotesOf(p.PolRound, VoteType.Prevote).Where(v => SameHash(v.BlockHash, p.Block.Hash)))
            Send(n, new Wire(n.Index, WireKind.Vote, vote.Encode()));
    }

    /// <summary>A Byzantine proposer sends its engine's proposal to even peers and a fresh conflicting block
    /// (claiming no proof of lock) to odd peers; both are gossiped, so everyone eventually sees both.</summary>
    private void ByzantinePropose(SimNode n, Proposal p, ulong height)
    {
        var alternate = Proposal.Create(ChainId, p.Height, p.Round, -1,
            TestChain.MakeBlock(p.Height, n.HeadHash, (ulong)Now + 2, n.Key.Address, (ulong)Rng.NextInt64()), n.Key);
        var known = KnownBlocks(n, p.Height);
        known.Add(p.Block.Hash);
        known.Add(alternate.Block.Hash);
        var a = new Wire(n.Index, WireKind.Proposal, p.Encode());
        var b = new Wire(n.Index, WireKind.Proposal, alternate.Encode());
        foreach (var peer in Nodes.Where(x => x != n)) Deliver(n.Index, peer.Index, peer.Index % 2 == 0 ? a : b);
        if (p.Height == height)
        {
            n.Gossip.Add(a);
            n.Gossip.Add(b);
        }
    }

    /// <summary>Whenever its engine votes, a Byzantine validator signs that vote, nil and every block it has seen
    /// proposed at the height, and sends all of them to every peer in a random order: its power helps every
    /// value towards a quorum, the worst it can do to safety.</summary>
    private void ByzantineVote(SimNode n, Vote v, ulong height)
    {
        var values = new List<byte[]?> { v.BlockHash, null };
        values.AddRange(KnownBlocks(n, v.Height));
        var wires = values.DistinctBy(h => h is null ? "" : Convert.ToHexString(h))
            .Select(h => new Wire(n.Index, WireKind.Vote, Vote.Create(ChainId, v.Type, v.Height, v.Round, h, n.Key).Encode()))
            .ToList();
        foreach (var peer in Nodes.Where(x => x != n))
        {
            foreach (var w in wires.OrderBy(_ => Rng.Next())) Deliver(n.Index, peer.Index, w);
        }
        if (v.Height == height) n.Gossip.AddRange(wires);
    }

    private static List<byte[]> KnownBlocks(SimNode n, ulong height)
    {
        if (!n.KnownBlocks.TryGetValue(height, out var list))
        {
            list = [];
            n.KnownBlocks[height] = list;
        }
        return list;
    }

    /// <summary>Gossip forwards at once what the engine accepted at its current height (nothing it rejected or only buffered).</summary>
    private void Relay(SimNode n, Wire wire, IReadOnlyList<ConsensusAction>? actions)
    {
        if (actions is null || n.Down || actions.OfType<MessageRejected>().Any()) return;
        var relayed = wire with { From = n.Index };
        foreach (var peer in Nodes)
        {
            if (peer != n && peer.Index != wire.From) Deliver(n.Index, peer.Index, relayed);
        }
    }

    /// <summary>Block sync: a peer sending messages of a height we already committed gets that block and its
    /// commit; a peer sending messages of a later height is asked for ours.</summary>
    private void OfferSync(SimNode n, int peer, ulong height)
    {
        // A message from a later height means we are behind: ask that peer for our next block.
        if (height > n.NextHeight) OfferSync(Nodes[peer], n.Index, n.NextHeight);
        if (height == 0 || height >= n.NextHeight) return;
        if (n.SyncSentAt.TryGetValue((peer, height), out var at) && Now - at < 200) return;
        n.SyncSentAt[(peer, height)] = Now;
        var (block, commit) = n.Chain[(int)height - 1];
        Deliver(n.Index, peer, new Wire(n.Index, WireKind.Sync, [], block, commit));
    }

    /// <summary>
    /// Periodic gossip. An honest node re-sends what its engine holds for the current height: everything of
    /// its current round plus a rotating window of the rest, so every message any honest node holds
    /// eventually reaches every peer (the paper's gossip assumption) at a bounded cost per tick.
    /// A Byzantine node re-sends its own list of sent messages the same way.
    /// </summary>
    private void GossipTick(SimNode n)
    {
        if (!n.Down && n.Engine is not null)
        {
            var wires = new List<Wire>();
            if (n.Byzantine)
            {
                for (var i = Math.Max(0, n.Gossip.Count - 4); i < n.Gossip.Count; i++) wires.Add(n.Gossip[i]);
                for (var i = 0; i < 8 && n.Gossip.Count > 4; i++) wires.Add(n.Gossip[n.GossipCursor++ % n.Gossip.Count]);
            }
            else
            {
                var held = n.Engine.HeldMessages();
                var round = n.Engine.Round;
                var picks = new HashSet<int>();
                for (var i = 0; i < held.Count; i++)
                {
                    if (RoundOf(held[i]) == round) picks.Add(i);
                }
                for (var i = 0; i < 8 && held.Count > 0; i++) picks.Add(n.GossipCursor++ % held.Count);
                foreach (var i in picks.Order())
                {
                    wires.Add(held[i] is Proposal p
                        ? new Wire(n.Index, WireKind.Proposal, p.Encode())
                        : new Wire(n.Index, WireKind.Vote, ((Vote)held[i]).Encode()));
                }
            }
            foreach (var wire in wires.DistinctBy(w => Convert.ToHexString(w.Payload)))
            {
                foreach (var peer in Nodes)
                {
                    if (peer != n) Deliver(n.Index, peer.Index, wire);
                }
            }
        }
        At(Now + _options.GossipIntervalMs, () => GossipTick(n));
    }

    private static int RoundOf(object message) => message is Proposal p ? p.Round : ((Vote)message).Round;

    private bool Partitioned(int a, int b) =>
        _options.Partitions.Any(p => p.StartMs <= Now && Now < p.HealMs && p.Group.Contains(a) != p.Group.Contains(b));

    private void ScheduleCrash(SimNode n, int kind)
    {
        if (n.Down || n.Engine is null) return;
        if (kind == 2)
        {
            n.CrashDuringNextCall = true;
        }
        else if (kind == 3 && n.Index == 0)
        {
            // The WAL is lost altogether: only the guard stands between the restarted validator and a double
            // sign (and restores its lock). Such a validator has forgotten what it saw: it counts against the
            // fault budget, so only node 0 ever suffers this.
            Crash(n, tornTail: false);
            if (n.WalPath is not null) File.Delete(n.WalPath);
        }
        else
        {
            Crash(n, tornTail: kind == 1);
        }
    }

    private void Crash(SimNode n, bool tornTail)
    {
        n.Down = true;
        n.Incarnation++;
        n.Engine = null;
        n.Wal?.Dispose();
        n.Wal = null;
        if (tornTail && n.WalPath is not null && File.Exists(n.WalPath))
        {
            // A record cut short: a plausible length prefix and part of a payload.
            var garbage = new byte[Rng.Next(1, 40)];
            Rng.NextBytes(garbage);
            if (garbage.Length >= 4) garbage[0] = 0;
            using var stream = new FileStream(n.WalPath, FileMode.Append, FileAccess.Write);
            stream.Write(garbage);
        }
        // Often back within the same height (the WAL is replayed), sometimes heights later (block sync first).
        At(Now + (Rng.Next(2) == 0 ? Rng.Next(1, 100) : Rng.Next(100, 2000)), () =>
        {
            n.Down = false;
            Restarts++;
            Boot(n);
        });
    }

    private static bool SameHash(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    public void Dispose()
    {
        foreach (var n in Nodes) n.Wal?.Dispose();
        _directory?.Dispose();
    }
}
