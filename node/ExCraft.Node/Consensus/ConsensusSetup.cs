using ExCraft.Chain;
using ExCraft.Consensus;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;

namespace ExCraft.Node.Consensus;

/// <summary>
/// What a validator's engine is made of: its key, the double-sign guard and write-ahead log in
/// the data directory, the timeouts and the pause between heights.
/// </summary>
public sealed class ConsensusSetup(ulong chainId, PrivateKey? validatorKey, IDoubleSignGuard? guard, ConsensusWal? wal,
    ConsensusTimeouts timeouts, int commitDelayMs, EvidenceReporter evidence)
{
    public int CommitDelayMs => commitDelayMs;

    public ulong ChainId => chainId;

    public EvidenceReporter Evidence => evidence;

    public ConsensusEngine CreateEngine(ValidatorSet validators, Func<ulong, int, Block> build, Func<Block, bool> validate) =>
        new(chainId, validators, validatorKey, timeouts, build, validate, guard, wal);

    /// <summary>
    /// Opens the guard. Before signing anything a validator looks for its own signatures in the
    /// latest blocks: if the guard file is missing or behind them, the key may be running on
    /// another machine or restored from a backup, and signing could equivocate, so it refuses.
    /// </summary>
    public static IDoubleSignGuard OpenGuard(string path, Blockchain chain, Core.Address validator, int depth)
    {
        var own = new List<(ulong Height, int Round, Core.Consensus.VoteType Type)>();
        var head = chain.Head.Height;
        for (var h = head; h >= 1 && h + (ulong)depth > head; h--)
        {
            if (chain.GetCommit(h) is { } commit && commit.Signatures.Any(s => s.Validator == validator))
                own.Add((h, (int)commit.Round, Core.Consensus.VoteType.Precommit));
            if (chain.GetBlock(h) is { } block && block.LastCommit.Signatures.Any(s => s.Validator == validator))
                own.Add((block.LastCommit.Height, (int)block.LastCommit.Round, Core.Consensus.VoteType.Precommit));
        }
        if (!File.Exists(path) && own.Count == 0) return FileDoubleSignGuard.CreateNew(path);
        try
        {
            return FileDoubleSignGuard.Open(path, own);
        }
        catch (DoubleSignRiskException e)
        {
            throw new NodeStartupException($"refusing to sign: {e.Message}");
        }
    }
}
