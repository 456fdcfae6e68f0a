using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Blocks;

/// <summary>One validator's precommit signature inside a commit.</summary>
public sealed record CommitSignature(Address Validator, Signature Signature);

/// <summary>
/// Proof that a block was committed: validators' signatures over
/// keccak256(rlp([chain_id, height, round, block_hash])). Block h carries the commit of h-1.
/// </summary>
public sealed record Commit(ulong Height, ulong Round, byte[] BlockHash, IReadOnlyList<CommitSignature> Signatures)
{
    public static readonly Commit Empty = new(0, 0, new byte[32], []);

    public static byte[] SignBytes(ulong chainId, ulong height, ulong round, byte[] blockHash) =>
        Keccak256.Hash(Rlp.EncodeList(Rlp.EncodeUInt(chainId), Rlp.EncodeUInt(height), Rlp.EncodeUInt(round), Rlp.EncodeBytes(blockHash)));

    public byte[] Hash() => Keccak256.Hash(Encode());

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeUInt(Height), Rlp.EncodeUInt(Round), Rlp.EncodeBytes(BlockHash),
        Rlp.EncodeList(Signatures.Select(s => Rlp.EncodeList(Rlp.EncodeBytes(s.Validator.ToBytes()), Rlp.EncodeBytes(s.Signature.ToBytes())))));

    public static Commit Decode(RlpItem item)
    {
        var f = item.ListOf(4, "commit");
        var signatures = f[3].Items.Select(s =>
        {
            var p = s.ListOf(2, "commit signature");
            if (!Signature.TryParse(p[1].Bytes, out var signature, out var error)) throw new RlpException($"commit signature: {error}");
            return new CommitSignature(new Address(p[0].AsFixed(Address.Length, "validator")), signature);
        }).ToList();
        return new Commit(f[0].AsUInt64(), f[1].AsUInt64(), f[2].AsFixed(32, "block hash"), signatures);
    }
}
