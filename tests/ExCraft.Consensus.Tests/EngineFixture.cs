using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Consensus.Tests;

/// <summary>One engine under test among four equal validators whose messages the test forges.</summary>
internal sealed class EngineFixture
{
    public const ulong ChainId = TestChain.ChainId;
    public static readonly ConsensusTimeouts Timeouts = new(1000, 500, 500, 100);

    public EngineFixture(int meIndexInSortedOrder = 3, bool observer = false, IDoubleSignGuard? guard = null, ConsensusWal? wal = null,
        Func<ulong, int, Block>? build = null, Func<Block, bool>? validate = null)
    {
        Keys = TestKeys.Keys(4).OrderBy(k => k.Address).ToArray();
        Set = TestChain.EqualSet(Keys);
        Me = Keys[meIndexInSortedOrder];
        Guard = guard ?? new InMemoryDoubleSignGuard();
        Engine = new ConsensusEngine(ChainId, Set, observer ? null : Me, Timeouts,
            build ?? ((h, r) => Block(h, 1000 + r)), validate ?? (_ => true), observer ? null : Guard, wal);
    }

    public PrivateKey[] Keys { get; }
    public ValidatorSet Set { get; }
    public PrivateKey Me { get; }
    public IDoubleSignGuard Guard { get; }
    public ConsensusEngine Engine { get; }

    public IEnumerable<PrivateKey> Others => Keys.Where(k => k != Me);

    public static Block Block(ulong height, int salt) =>
        TestChain.MakeBlock(height, TestChain.GenesisHash, 1000 + (ulong)salt, TestKeys.Key(0).Address, (ulong)salt);

    public PrivateKey ProposerKey(ulong height, int round) => Keys.Single(k => k.Address == Set.Proposer(height, round));

    public Proposal Propose(ulong height, int round, Block block, int polRound = -1) =>
        Proposal.Create(ChainId, height, round, polRound, block, ProposerKey(height, round));

    public static Vote VoteBy(PrivateKey key, VoteType type, ulong height, int round, byte[]? hash) =>
        Vote.Create(ChainId, type, height, round, hash, key);

    /// <summary>Feeds votes of the given type from the given keys; returns all actions.</summary>
    public List<ConsensusAction> Votes(IEnumerable<PrivateKey> keys, VoteType type, ulong height, int round, byte[]? hash) =>
        keys.SelectMany(k => Engine.OnVote(VoteBy(k, type, height, round, hash))).ToList();

    public static List<Vote> SentVotes(IEnumerable<ConsensusAction> actions) => actions.OfType<BroadcastVote>().Select(b => b.Vote).ToList();

    public static Vote SingleVote(IEnumerable<ConsensusAction> actions, VoteType type) =>
        Assert.Single(SentVotes(actions), v => v.Type == type);
}
