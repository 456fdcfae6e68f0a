using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Consensus;

/// <summary>
/// A signed prevote or precommit. <see cref="BlockHash"/> null is a vote for nil.
/// Wire form: rlp([type, height, round, block_hash or "", validator(20), signature(65)]).
/// Sign bytes: a non-nil precommit signs exactly <see cref="Commit.SignBytes"/> so that the
/// precommits of a decided round form a <see cref="Commit"/> the chain already verifies; every
/// other vote signs keccak256(rlp([chain_id, "prevote"|"precommit", height, round, block_hash or ""])),
/// a five-item list that can never be mistaken for the four-item commit preimage.
/// </summary>
public sealed record Vote(VoteType Type, ulong Height, int Round, byte[]? BlockHash, Address Validator, Signature Signature)
{
    public VoteType Type { get; init; } = ConsensusFields.CheckVoteType(Type);
    public int Round { get; init; } = ConsensusFields.CheckRound(Round);
    public byte[]? BlockHash { get; init; } = ConsensusFields.CheckHash(BlockHash);

    public bool IsNil => BlockHash is null;

    /// <summary>The 32-byte hash a validator signs for this vote.</summary>
    public static byte[] SignBytes(ulong chainId, VoteType type, ulong height, int round, byte[]? blockHash)
    {
        ConsensusFields.CheckVoteType(type);
        ConsensusFields.CheckRound(round);
        ConsensusFields.CheckHash(blockHash);
        if (type == VoteType.Precommit && blockHash is not null) return Commit.SignBytes(chainId, height, (ulong)round, blockHash);
        return Keccak256.Hash(Rlp.EncodeList(
            Rlp.EncodeUInt(chainId),
            Rlp.EncodeString(type == VoteType.Prevote ? "prevote" : "precommit"),
            Rlp.EncodeUInt(height),
            Rlp.EncodeUInt((ulong)round),
            Rlp.EncodeBytes(blockHash ?? [])));
    }

    public byte[] SignBytes(ulong chainId) => SignBytes(chainId, Type, Height, Round, BlockHash);

    /// <summary>Signs a vote with <paramref name="key"/>; the validator is the key's address.</summary>
    public static Vote Create(ulong chainId, VoteType type, ulong height, int round, byte[]? blockHash, PrivateKey key) =>
        new(type, height, round, blockHash, key.Address, key.Sign(SignBytes(chainId, type, height, round, blockHash)));

    /// <summary>True when the signature recovers to <see cref="Validator"/> (canonical low-S signatures only).</summary>
    public bool Verify(ulong chainId) =>
        Secp256k1Recovery.TryRecoverAddress(SignBytes(chainId), Signature, out var signer, out _) && signer == Validator;

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeUInt((ulong)Type),
        Rlp.EncodeUInt(Height),
        Rlp.EncodeUInt((ulong)Round),
        Rlp.EncodeBytes(BlockHash ?? []),
        Rlp.EncodeBytes(Validator.ToBytes()),
        Rlp.EncodeBytes(Signature.ToBytes()));

    /// <summary>Strict decode of <see cref="Encode"/>; throws <see cref="RlpException"/> naming the problem.</summary>
    public static Vote Decode(ReadOnlySpan<byte> encoded) => Decode(Rlp.Decode(encoded));

    public static Vote Decode(RlpItem item)
    {
        var f = item.ListOf(6, "vote");
        var typeValue = f[0].AsUInt64();
        if (typeValue is not (1 or 2)) throw new RlpException($"vote: type must be 1 (prevote) or 2 (precommit), got {typeValue}");
        var hashBytes = f[3].Bytes;
        if (hashBytes.Length is not (0 or 32)) throw new RlpException($"vote: block hash must be empty (nil) or 32 bytes, got {hashBytes.Length}");
        var validator = new Address(f[4].AsFixed(Address.Length, "vote validator"));
        if (!Signature.TryParse(f[5].Bytes, out var signature, out var error)) throw new RlpException($"vote signature: {error}");
        return new Vote((VoteType)typeValue, f[1].AsUInt64(), f[2].AsInt32(), hashBytes.Length == 0 ? null : hashBytes, validator, signature);
    }

    public bool Equals(Vote? other) =>
        other is not null && Type == other.Type && Height == other.Height && Round == other.Round &&
        BlockHashes.Equal(BlockHash, other.BlockHash) && Validator == other.Validator && Signature == other.Signature;

    public override int GetHashCode() => HashCode.Combine(Type, Height, Round, Validator, Signature);

    public override string ToString() =>
        $"{Type}(h={Height} r={Round} {(BlockHash is null ? "nil" : Hex.Encode(BlockHash)[..10])} by {Validator.ToHex()[..10]})";
}
