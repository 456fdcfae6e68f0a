using ExCraft.Core.Encoding;

namespace ExCraft.Core.Consensus;

/// <summary>
/// Proof that a validator signed two different votes of one type at one height and round (nil and
/// a block count as different). Canonical order: A's block hash sorts before B's (nil first), so
/// one equivocation has one encoding. Wire form: rlp([vote_a, vote_b]).
/// </summary>
public sealed record DoubleSignEvidence(Vote A, Vote B)
{
    /// <summary>Puts the two votes in canonical order; does not check them (see <see cref="Verify"/>).</summary>
    public static DoubleSignEvidence Create(Vote first, Vote second) =>
        Compare(first.BlockHash, second.BlockHash) <= 0 ? new(first, second) : new(second, first);

    /// <summary>True when both votes are validly signed by the same validator for the same type, height and
    /// round with different block hashes, in canonical order. Validator-set membership is the caller's check.</summary>
    public bool Verify(ulong chainId, out string error)
    {
        error = "";
        if (A.Validator != B.Validator) error = $"votes are by different validators {A.Validator} and {B.Validator}";
        else if (A.Type != B.Type) error = $"votes are of different types {A.Type} and {B.Type}";
        else if (A.Height != B.Height) error = $"votes are for different heights {A.Height} and {B.Height}";
        else if (A.Round != B.Round) error = $"votes are for different rounds {A.Round} and {B.Round}";
        else if (BlockHashes.Equal(A.BlockHash, B.BlockHash)) error = "votes are for the same block";
        else if (Compare(A.BlockHash, B.BlockHash) > 0) error = "votes are not in canonical order (A's block hash must sort first, nil before any hash)";
        else if (!A.Verify(chainId)) error = "vote A's signature does not recover to its validator";
        else if (!B.Verify(chainId)) error = "vote B's signature does not recover to its validator";
        return error.Length == 0;
    }

    public byte[] Encode() => Rlp.EncodeList(A.Encode(), B.Encode());

    public static DoubleSignEvidence Decode(ReadOnlySpan<byte> encoded) => Decode(Rlp.Decode(encoded));

    public static DoubleSignEvidence Decode(RlpItem item)
    {
        var f = item.ListOf(2, "double-sign evidence");
        return new DoubleSignEvidence(Vote.Decode(f[0]), Vote.Decode(f[1]));
    }

    private static int Compare(byte[]? a, byte[]? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.AsSpan().SequenceCompareTo(b);
}
