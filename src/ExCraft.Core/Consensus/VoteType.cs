namespace ExCraft.Core.Consensus;

/// <summary>The two votes of a consensus round.</summary>
public enum VoteType : byte
{
    Prevote = 1,
    Precommit = 2,
}
