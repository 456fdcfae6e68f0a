using ExCraft.Consensus.Gossip;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Consensus.Tests;

public sealed class BlockPartSetTests
{
    private static readonly PrivateKey Proposer = new(Keccak256.Hash([1, 2, 3]));

    /// <summary>A signed proposal whose block is big enough for several parts.</summary>
    private static Proposal BigProposal(int transactions)
    {
        var sender = new PrivateKey(Keccak256.Hash([9]));
        var txs = Enumerable.Range(0, transactions)
            .Select(n => Transaction.Create(TestChain.ChainId, (ulong)n, 1, new TransferPayload(Proposer.Address, "EXT", 1), sender)).ToList();
        var header = new BlockHeader(TestChain.ChainId, 5, 1_000, new byte[32], Commit.Empty.Hash(), Block.ComputeTransactionsRoot(txs), new byte[32], Proposer.Address);
        return Proposal.Create(TestChain.ChainId, 5, 0, -1, new Block(header, txs, Commit.Empty), Proposer);
    }

    [Fact]
    public void A_block_split_into_parts_reassembles_in_any_order_into_the_signed_proposal()
    {
        var proposal = BigProposal(2_500);
        var (header, parts) = BlockPartSet.Split(proposal);
        Assert.True(parts.Count >= 3, $"only {parts.Count} parts");
        Assert.True(header.VerifySignature(TestChain.ChainId));

        var decodedHeader = ProposalHeader.Decode(Rlp.Decode(header.Encode()));
        var set = new BlockPartSet(decodedHeader);
        foreach (var part in parts.Reverse())
        {
            Assert.False(set.IsComplete);
            Assert.True(set.TryAdd(BlockPart.Decode(Rlp.Decode(part.Encode())), out var error), error);
        }
        Assert.True(set.TryAdd(parts[0], out _)); // a repeat is harmless
        Assert.True(set.IsComplete);
        var assembled = set.Assemble();
        Assert.Equal(proposal.Block.Hash, assembled.Block.Hash);
        Assert.Equal(proposal.Encode(), assembled.Encode());
        Assert.True(assembled.Verify(TestChain.ChainId));
    }

    [Fact]
    public void Wrong_parts_are_refused_and_a_forged_root_cannot_make_another_block()
    {
        var (header, parts) = BlockPartSet.Split(BigProposal(2_500));
        var set = new BlockPartSet(header);

        var tampered = parts[1] with { Data = parts[1].Data.ToArray() };
        tampered.Data[10] ^= 1;
        Assert.False(set.TryAdd(tampered, out var error));
        Assert.Contains("does not prove", error);
        Assert.False(set.TryAdd(parts[1] with { Index = 2 }, out error));
        Assert.Contains("does not prove", error);
        Assert.False(set.TryAdd(parts[1] with { Round = 1 }, out error));
        Assert.Contains("another proposal", error);
        Assert.False(set.TryAdd(parts[1] with { Index = parts.Count }, out error));
        Assert.Contains("outside", error);

        // A relaying peer keeps the proposer's signature but swaps in parts of its own: they prove
        // against its root, but the block they make is not the signed one.
        var (_, otherParts) = BlockPartSet.Split(BigProposal(2_600));
        var otherChunks = otherParts.Select(p => p.Data).ToList();
        var forged = new BlockPartSet(header with { PartCount = otherChunks.Count, PartsRoot = MerkleRoot.Compute(otherChunks) });
        foreach (var part in otherParts) Assert.True(forged.TryAdd(part with { BlockHash = header.BlockHash, Round = header.Round }, out _));
        Assert.Throws<RlpException>(() => forged.Assemble());
    }

    [Fact]
    public void Malformed_headers_and_parts_are_format_errors()
    {
        var (header, parts) = BlockPartSet.Split(BigProposal(10));
        Assert.Single(parts);
        var items = Rlp.Decode(header.Encode()).Items.Select(i => Rlp.EncodeBytes(i.Bytes)).ToArray();
        items[6] = Rlp.EncodeUInt(0UL);
        Assert.Contains("parts", Assert.Throws<RlpException>(() => ProposalHeader.Decode(Rlp.Decode(Rlp.EncodeList(items)))).Message);
        var big = parts[0] with { Data = new byte[BlockPartSet.PartSize + 1] };
        Assert.Throws<RlpException>(() => BlockPart.Decode(Rlp.Decode(big.Encode())));
        Assert.False(ProposalHeader.Decode(Rlp.Decode((header with { Signature = Proposer.Sign(new byte[32]) }).Encode())).VerifySignature(TestChain.ChainId));
    }
}
