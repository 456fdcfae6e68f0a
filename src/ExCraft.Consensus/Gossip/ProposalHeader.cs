using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Consensus.Gossip;

/// <summary>
/// A proposal as it travels: everything but the block, plus the block's part-set header (how
/// many parts, and the Merkle root over them). The proposer's signature covers the block hash,
/// so it is checked before any part is accepted. Wire form: rlp([height, round, pol_round + 1,
/// block_hash, proposer, signature, part_count, parts_root]).
/// </summary>
public sealed record ProposalHeader(ulong Height, int Round, int PolRound, byte[] BlockHash, Address Proposer, Signature Signature, int PartCount, byte[] PartsRoot)
{
    public bool VerifySignature(ulong chainId) =>
        Secp256k1Recovery.TryRecoverAddress(Proposal.SignBytes(chainId, Height, Round, PolRound, BlockHash), Signature, out var signer, out _) && signer == Proposer;

    public Proposal ToProposal(Block block) => new(Height, Round, PolRound, block, Proposer, Signature);

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeUInt(Height), Rlp.EncodeUInt((ulong)Round), Rlp.EncodeUInt((ulong)(PolRound + 1)), Rlp.EncodeBytes(BlockHash),
        Rlp.EncodeBytes(Proposer.ToBytes()), Rlp.EncodeBytes(Signature.ToBytes()), Rlp.EncodeUInt((ulong)PartCount), Rlp.EncodeBytes(PartsRoot));

    public static ProposalHeader Decode(RlpItem item)
    {
        var f = item.ListOf(8, "proposal header");
        var round = f[1].AsInt32();
        var polRound = f[2].AsInt32() - 1;
        if (polRound >= round) throw new RlpException($"proposal header: pol round {polRound} must be below round {round}");
        if (!Signature.TryParse(f[5].Bytes, out var signature, out var error)) throw new RlpException($"proposal header signature: {error}");
        var parts = f[6].AsInt32();
        if (parts is < 1 or > BlockPartSet.MaxParts) throw new RlpException($"proposal header: {parts} parts, must be 1 to {BlockPartSet.MaxParts}");
        return new ProposalHeader(f[0].AsUInt64(), round, polRound, f[3].AsFixed(32, "block hash"), new Address(f[4].AsFixed(Address.Length, "proposer")),
            signature, parts, f[7].AsFixed(32, "parts root"));
    }
}

/// <summary>One part of a proposed block with its Merkle proof against the header's parts root. Wire form: rlp([height, round, block_hash, index, data, [proof...]]).</summary>
public sealed record BlockPart(ulong Height, int Round, byte[] BlockHash, int Index, byte[] Data, IReadOnlyList<byte[]> Proof)
{
    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeUInt(Height), Rlp.EncodeUInt((ulong)Round), Rlp.EncodeBytes(BlockHash), Rlp.EncodeUInt((ulong)Index), Rlp.EncodeBytes(Data),
        Rlp.EncodeList(Proof.Select(p => Rlp.EncodeBytes(p))));

    public static BlockPart Decode(RlpItem item)
    {
        var f = item.ListOf(6, "block part");
        var data = f[4].Bytes;
        if (data.Length is 0 or > BlockPartSet.PartSize) throw new RlpException($"block part of {data.Length} bytes, must be 1 to {BlockPartSet.PartSize}");
        var proof = f[5].Items;
        if (proof.Count > 32) throw new RlpException("block part proof is too long");
        return new BlockPart(f[0].AsUInt64(), f[1].AsInt32(), f[2].AsFixed(32, "block hash"), f[3].AsInt32(), data, proof.Select(p => p.AsFixed(32, "proof hash")).ToList());
    }
}
