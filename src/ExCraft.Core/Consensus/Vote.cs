using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Consensus;

/// <summary>
/// A signed consensus vote. BlockHash null is a vote for nil. A precommit for a block signs
/// exactly Commit.SignBytes, so commits assembled from precommits verify as block commits; every
/// other vote signs keccak256(rlp([chain_id, "prevote"|"precommit", height, round, hash or ""])),
/// so a prevote can never pass for a precommit. Wire form: rlp([type, height, round, hash or "",
/// validator, signature]).
/// </summary>
public sealed record Vote(VoteType Type, ulong Height, int Round, byte[]? BlockHash, Address Validator, Signature Signature)
{
    public static byte[] SignBytes(ulong chainId, VoteType type, ulong height, int round, byte[]? blockHash)
    {
        if (round < 0) throw new ArgumentOutOfRangeException(nameof(round), "round must not be negative");
        if (type == VoteType.Precommit && blockHash is not null) return Commit.SignBytes(chainId, height, (ulong)round, blockHash);
        return Keccak256.Hash(Rlp.EncodeList(Rlp.EncodeUInt(chainId), Rlp.EncodeString(type == VoteType.Prevote ? "prevote" : "precommit"),
            Rlp.EncodeUInt(height), Rlp.EncodeUInt((ulong)round), Rlp.EncodeBytes(blockHash ?? [])));
    }

    public static Vote Create(ulong chainId, VoteType type, ulong height, int round, byte[]? blockHash, PrivateKey key) =>
        new(type, height, round, blockHash, key.Address, key.Sign(SignBytes(chainId, type, height, round, blockHash)));

    public bool Verify(ulong chainId) =>
        Secp256k1Recovery.TryRecoverAddress(SignBytes(chainId, Type, Height, Round, BlockHash), Signature, out var signer, out _) && signer == Validator;

    /// <summary>Same vote content (ignoring the signature bytes).</summary>
    public bool SameTarget(Vote other) =>
        Type == other.Type && Height == other.Height && Round == other.Round && Validator == other.Validator;

    public bool SameBlock(Vote other) => BlockHash is null ? other.BlockHash is null : other.BlockHash is not null && BlockHash.AsSpan().SequenceEqual(other.BlockHash);

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt((ulong)Type), Rlp.EncodeUInt(Height), Rlp.EncodeUInt((ulong)Round),
        Rlp.EncodeBytes(BlockHash ?? []), Rlp.EncodeBytes(Validator.ToBytes()), Rlp.EncodeBytes(Signature.ToBytes()));

    public static Vote Decode(RlpItem item)
    {
        var f = item.ListOf(6, "vote");
        var type = f[0].AsUInt64();
        if (type is not (1 or 2)) throw new RlpException($"unknown vote type {type}");
        var hash = f[3].Bytes;
        if (hash.Length is not (0 or 32)) throw new RlpException($"vote block hash must be empty or 32 bytes, got {hash.Length}");
        if (!Signature.TryParse(f[5].Bytes, out var signature, out var error)) throw new RlpException($"vote signature: {error}");
        return new Vote((VoteType)type, f[1].AsUInt64(), f[2].AsInt32(), hash.Length == 0 ? null : hash, new Address(f[4].AsFixed(Address.Length, "validator")), signature);
    }
}
