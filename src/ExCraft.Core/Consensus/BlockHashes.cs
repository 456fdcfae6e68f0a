namespace ExCraft.Core.Consensus;

/// <summary>Block hashes as votes carry them: null is a vote for nil.</summary>
public static class BlockHashes
{
    public static bool Equal(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>A dictionary key for a block hash; nil is the empty string.</summary>
    public static string Key(byte[]? hash) => hash is null ? "" : Convert.ToHexString(hash);
}

/// <summary>Field checks of consensus messages.</summary>
public static class ConsensusFields
{
    public static VoteType CheckVoteType(VoteType type) =>
        type is VoteType.Prevote or VoteType.Precommit ? type : throw new ArgumentException($"vote type must be Prevote or Precommit, got {(int)type}");

    public static int CheckRound(int round) =>
        round >= 0 ? round : throw new ArgumentException($"round must not be negative, got {round}");

    public static byte[]? CheckHash(byte[]? hash) =>
        hash is null || hash.Length == 32 ? hash : throw new ArgumentException($"a block hash is 32 bytes (or null for nil), got {hash.Length}");
}
