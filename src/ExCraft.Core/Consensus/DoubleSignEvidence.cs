using ExCraft.Core.Encoding;

namespace ExCraft.Core.Consensus;

/// <summary>
/// Proof that a validator signed two different votes of the same type for the same height and
/// round: anyone may submit it, and the chain slashes and jails the validator forever.
/// </summary>
public sealed record DoubleSignEvidence(Vote A, Vote B)
{
    public bool Verify(ulong chainId, out string error)
    {
        error = "";
        if (!A.SameTarget(B)) error = "the two votes are not by one validator for the same type, height and round";
        else if (A.SameBlock(B)) error = "the two votes are for the same block";
        else if (!A.Verify(chainId) || !B.Verify(chainId)) error = "a vote's signature does not verify";
        return error.Length == 0;
    }

    public byte[] Encode() => Rlp.EncodeList(A.Encode(), B.Encode());

    public static DoubleSignEvidence Decode(RlpItem item)
    {
        var f = item.ListOf(2, "double-sign evidence");
        return new DoubleSignEvidence(Vote.Decode(f[0]), Vote.Decode(f[1]));
    }
}
