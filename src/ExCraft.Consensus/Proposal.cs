using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Consensus;

/// <summary>
/// A round's proposal, signed by the round's proposer. <see cref="PolRound"/> is the proposer's
/// valid round (the round of the prevote quorum that justifies re-proposing the block), -1 for none.
/// Wire form: rlp([height, round, pol_round + 1, block (its RLP as a byte string), proposer(20), signature(65)]).
/// Sign bytes: keccak256(rlp([chain_id, "proposal", height, round, pol_round + 1, block_hash])).
/// </summary>
public sealed record Proposal(ulong Height, int Round, int PolRound, Block Block, Address Proposer, Signature Signature)
{
    /// <summary>Largest encoded proposal <see cref="Decode(ReadOnlySpan{byte})"/> accepts.</summary>
    public const int MaxEncodedLength = 64 * 1024 * 1024;

    public int Round { get; init; } = ConsensusFields.CheckRound(Round);
    public int PolRound { get; init; } = CheckPolRound(PolRound, Round);

    public static byte[] SignBytes(ulong chainId, ulong height, int round, int polRound, byte[] blockHash)
    {
        ConsensusFields.CheckRound(round);
        CheckPolRound(polRound, round);
        if (blockHash is null || blockHash.Length != 32) throw new ArgumentException("a block hash is 32 bytes");
        return Keccak256.Hash(Rlp.EncodeList(
            Rlp.EncodeUInt(chainId),
            Rlp.EncodeString("proposal"),
            Rlp.EncodeUInt(height),
            Rlp.EncodeUInt((ulong)round),
            Rlp.EncodeUInt((ulong)(polRound + 1)),
            Rlp.EncodeBytes(blockHash)));
    }

    public byte[] SignBytes(ulong chainId) => SignBytes(chainId, Height, Round, PolRound, Block.Hash);

    public static Proposal Create(ulong chainId, ulong height, int round, int polRound, Block block, PrivateKey key) =>
        new(height, round, polRound, block, key.Address, key.Sign(SignBytes(chainId, height, round, polRound, block.Hash)));

    public bool Verify(ulong chainId) =>
        Secp256k1Recovery.TryRecoverAddress(SignBytes(chainId), Signature, out var signer, out _) && signer == Proposer;

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeUInt(Height),
        Rlp.EncodeUInt((ulong)Round),
        Rlp.EncodeUInt((ulong)(PolRound + 1)),
        Rlp.EncodeBytes(Block.Encode()),
        Rlp.EncodeBytes(Proposer.ToBytes()),
        Rlp.EncodeBytes(Signature.ToBytes()));

    /// <summary>Strict decode; throws <see cref="FormatException"/> (usually <see cref="RlpException"/>) naming the problem.</summary>
    public static Proposal Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength) throw new RlpException($"proposal is {encoded.Length} bytes, more than the limit of {MaxEncodedLength}");
        return Decode(Rlp.Decode(encoded));
    }

    public static Proposal Decode(RlpItem item)
    {
        var f = item.ListOf(6, "proposal");
        var height = f[0].AsUInt64();
        var round = f[1].AsInt32();
        var polPlusOne = f[2].AsUInt64();
        if (polPlusOne > (ulong)round) throw new RlpException($"proposal: pol round {(long)polPlusOne - 1} must be below the round {round}");
        Block block;
        try
        {
            block = Block.Decode(f[3].Bytes);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new RlpException($"proposal block: {e.Message}");
        }
        var proposer = new Address(f[4].AsFixed(Address.Length, "proposer"));
        if (!Signature.TryParse(f[5].Bytes, out var signature, out var error)) throw new RlpException($"proposal signature: {error}");
        return new Proposal(height, round, (int)polPlusOne - 1, block, proposer, signature);
    }

    /// <summary>Same height, round, pol round, block hash, proposer and signature.</summary>
    public bool Equals(Proposal? other) =>
        other is not null && Height == other.Height && Round == other.Round && PolRound == other.PolRound &&
        Block.Hash.AsSpan().SequenceEqual(other.Block.Hash) && Proposer == other.Proposer && Signature == other.Signature;

    public override int GetHashCode() => HashCode.Combine(Height, Round, PolRound, Proposer, Signature);

    public override string ToString() =>
        $"Proposal(h={Height} r={Round} pol={PolRound} {Hex.Encode(Block.Hash)[..10]} by {Proposer.ToHex()[..10]})";

    private static int CheckPolRound(int polRound, int round) =>
        polRound >= -1 && polRound < round ? polRound : throw new ArgumentException($"pol round must be -1 or in [0, round) = [0, {round}), got {polRound}");
}
