using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Consensus.Tests;

public class MessageCodecTests
{
    private const ulong ChainId = TestChain.ChainId;
    private static readonly PrivateKey Key = TestKeys.Key(0);
    private static readonly byte[] Hash = Keccak256.Hash([1, 2, 3]);

    [Theory]
    [InlineData(VoteType.Prevote, true)]
    [InlineData(VoteType.Prevote, false)]
    [InlineData(VoteType.Precommit, true)]
    [InlineData(VoteType.Precommit, false)]
    public void Vote_round_trips_and_verifies(VoteType type, bool nil)
    {
        var vote = Vote.Create(ChainId, type, 7, 3, nil ? null : Hash, Key);
        var decoded = Vote.Decode(vote.Encode());
        Assert.Equal(vote, decoded);
        Assert.Equal(nil, decoded.IsNil);
        Assert.True(decoded.Verify(ChainId));
        Assert.False(decoded.Verify(ChainId + 1));
        Assert.False((decoded with { Round = 4 }).Verify(ChainId));
        Assert.False((decoded with { Validator = TestKeys.Key(1).Address }).Verify(ChainId));
    }

    [Fact]
    public void Non_nil_precommit_signs_the_commit_sign_bytes()
    {
        Assert.Equal(Commit.SignBytes(ChainId, 9, 2, Hash), Vote.SignBytes(ChainId, VoteType.Precommit, 9, 2, Hash));
        var vote = Vote.Create(ChainId, VoteType.Precommit, 9, 2, Hash, Key);
        Assert.True(Secp256k1Recovery.TryRecoverAddress(Commit.SignBytes(ChainId, 9, 2, Hash), vote.Signature, out var signer, out _));
        Assert.Equal(Key.Address, signer);
    }

    [Fact]
    public void Sign_bytes_are_domain_separated()
    {
        var all = new[]
        {
            Vote.SignBytes(ChainId, VoteType.Prevote, 9, 2, Hash),
            Vote.SignBytes(ChainId, VoteType.Precommit, 9, 2, Hash),
            Vote.SignBytes(ChainId, VoteType.Prevote, 9, 2, null),
            Vote.SignBytes(ChainId, VoteType.Precommit, 9, 2, null),
            Proposal.SignBytes(ChainId, 9, 2, -1, Hash),
            Proposal.SignBytes(ChainId, 9, 2, 1, Hash),
        };
        Assert.Equal(all.Length, all.Select(Convert.ToHexString).Distinct().Count());
        // A prevote can never pass as a precommit.
        var prevote = Vote.Create(ChainId, VoteType.Prevote, 9, 2, Hash, Key);
        Assert.False((prevote with { Type = VoteType.Precommit }).Verify(ChainId));
        // The generic form is keccak256(rlp([chain_id, "prevote", height, round, hash])).
        var expected = Keccak256.Hash(Rlp.EncodeList(Rlp.EncodeUInt(ChainId), Rlp.EncodeString("prevote"), Rlp.EncodeUInt(9), Rlp.EncodeUInt(2), Rlp.EncodeBytes(Hash)));
        Assert.Equal(expected, all[0]);
        var proposalExpected = Keccak256.Hash(Rlp.EncodeList(Rlp.EncodeUInt(ChainId), Rlp.EncodeString("proposal"), Rlp.EncodeUInt(9), Rlp.EncodeUInt(2), Rlp.EncodeUInt(0), Rlp.EncodeBytes(Hash)));
        Assert.Equal(proposalExpected, all[4]);
    }

    [Fact]
    public void Vote_constructor_rejects_bad_fields()
    {
        var sig = Vote.Create(ChainId, VoteType.Prevote, 1, 0, null, Key).Signature;
        Assert.Throws<ArgumentException>(() => new Vote((VoteType)3, 1, 0, null, Key.Address, sig));
        Assert.Throws<ArgumentException>(() => new Vote(VoteType.Prevote, 1, -1, null, Key.Address, sig));
        Assert.Throws<ArgumentException>(() => new Vote(VoteType.Prevote, 1, 0, new byte[31], Key.Address, sig));
    }

    public static TheoryData<string, byte[]> MalformedVotes()
    {
        var good = Vote.Create(ChainId, VoteType.Prevote, 5, 1, Hash, Key);
        var sig = good.Signature.ToBytes();
        var addr = Key.Address.ToBytes();
        byte[] Fields(params byte[][] f) => Rlp.EncodeList(f);
        var badRecovery = (byte[])sig.Clone();
        badRecovery[64] = 2;
        return new TheoryData<string, byte[]>
        {
            { "empty input", [] },
            { "expected a list", Rlp.EncodeBytes([1, 2, 3]) },
            { "expected 6 fields", Fields(Rlp.EncodeUInt(1), Rlp.EncodeUInt(5)) },
            { "type must be 1 (prevote) or 2", Fields(Rlp.EncodeUInt(3), Rlp.EncodeUInt(5), Rlp.EncodeUInt(1), Rlp.EncodeBytes(Hash), Rlp.EncodeBytes(addr), Rlp.EncodeBytes(sig)) },
            { "block hash must be empty (nil) or 32 bytes", Fields(Rlp.EncodeUInt(1), Rlp.EncodeUInt(5), Rlp.EncodeUInt(1), Rlp.EncodeBytes(new byte[5]), Rlp.EncodeBytes(addr), Rlp.EncodeBytes(sig)) },
            { "vote validator must be 20 bytes", Fields(Rlp.EncodeUInt(1), Rlp.EncodeUInt(5), Rlp.EncodeUInt(1), Rlp.EncodeBytes(Hash), Rlp.EncodeBytes(new byte[19]), Rlp.EncodeBytes(sig)) },
            { "a signature is 65 bytes", Fields(Rlp.EncodeUInt(1), Rlp.EncodeUInt(5), Rlp.EncodeUInt(1), Rlp.EncodeBytes(Hash), Rlp.EncodeBytes(addr), Rlp.EncodeBytes(sig[..64])) },
            { "recovery id must be 0 or 1", Fields(Rlp.EncodeUInt(1), Rlp.EncodeUInt(5), Rlp.EncodeUInt(1), Rlp.EncodeBytes(Hash), Rlp.EncodeBytes(addr), Rlp.EncodeBytes(badRecovery)) },
            { "leading zero", Fields(Rlp.EncodeUInt(1), Rlp.EncodeBytes([0, 5]), Rlp.EncodeUInt(1), Rlp.EncodeBytes(Hash), Rlp.EncodeBytes(addr), Rlp.EncodeBytes(sig)) },
            { "too large", Fields(Rlp.EncodeUInt(1), Rlp.EncodeUInt(5), Rlp.EncodeUInt((ulong)int.MaxValue + 1), Rlp.EncodeBytes(Hash), Rlp.EncodeBytes(addr), Rlp.EncodeBytes(sig)) },
            { "trailing bytes", [.. good.Encode(), 0x00] },
            { "runs past the end", good.Encode()[..^3] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedVotes))]
    public void Vote_decode_rejects_malformed_input(string expectedMessage, byte[] input)
    {
        var e = Assert.ThrowsAny<FormatException>(() => Vote.Decode(input));
        Assert.IsType<RlpException>(e);
        Assert.Contains(expectedMessage, e.Message);
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(3, -1)]
    [InlineData(3, 0)]
    [InlineData(3, 2)]
    public void Proposal_round_trips_and_verifies(int round, int polRound)
    {
        var block = TestChain.MakeBlock(8, TestChain.GenesisHash, 1000, Key.Address, 5);
        var proposal = Proposal.Create(ChainId, 8, round, polRound, block, Key);
        var decoded = Proposal.Decode(proposal.Encode());
        Assert.Equal(proposal, decoded);
        Assert.Equal(block.Hash, decoded.Block.Hash);
        Assert.Equal(block.Encode(), decoded.Block.Encode());
        Assert.Equal(polRound, decoded.PolRound);
        Assert.True(decoded.Verify(ChainId));
        Assert.False(decoded.Verify(ChainId + 1));
        Assert.False((decoded with { Proposer = TestKeys.Key(1).Address }).Verify(ChainId));
    }

    [Fact]
    public void Proposal_rejects_bad_pol_round()
    {
        var block = TestChain.MakeBlock(8, TestChain.GenesisHash, 1000, Key.Address);
        Assert.Throws<ArgumentException>(() => Proposal.Create(ChainId, 8, 2, 2, block, Key));
        Assert.Throws<ArgumentException>(() => Proposal.Create(ChainId, 8, 2, -2, block, Key));
        var good = Proposal.Create(ChainId, 8, 2, 1, block, Key);
        // pol_round + 1 = 3 is not below round 2 + 1.
        var bad = Rlp.EncodeList(Rlp.EncodeUInt(8), Rlp.EncodeUInt(2), Rlp.EncodeUInt(3), Rlp.EncodeBytes(block.Encode()),
            Rlp.EncodeBytes(Key.Address.ToBytes()), Rlp.EncodeBytes(good.Signature.ToBytes()));
        Assert.Contains("pol round 2 must be below the round 2", Assert.Throws<RlpException>(() => Proposal.Decode(bad)).Message);
    }

    [Fact]
    public void Proposal_decode_rejects_malformed_input()
    {
        var block = TestChain.MakeBlock(8, TestChain.GenesisHash, 1000, Key.Address);
        var good = Proposal.Create(ChainId, 8, 0, -1, block, Key);
        var sig = Rlp.EncodeBytes(good.Signature.ToBytes());
        var addr = Rlp.EncodeBytes(Key.Address.ToBytes());
        Assert.Contains("expected 6 fields", Assert.Throws<RlpException>(() => Proposal.Decode(Rlp.EncodeList(Rlp.EncodeUInt(8)))).Message);
        Assert.Contains("proposal block", Assert.Throws<RlpException>(() => Proposal.Decode(Rlp.EncodeList(
            Rlp.EncodeUInt(8), Rlp.EncodeUInt(0), Rlp.EncodeUInt(0), Rlp.EncodeBytes([1, 2, 3]), addr, sig))).Message);
        Assert.Contains("proposal signature", Assert.Throws<RlpException>(() => Proposal.Decode(Rlp.EncodeList(
            Rlp.EncodeUInt(8), Rlp.EncodeUInt(0), Rlp.EncodeUInt(0), Rlp.EncodeBytes(block.Encode()), addr, Rlp.EncodeBytes([1])))).Message);
        Assert.ThrowsAny<FormatException>(() => Proposal.Decode(good.Encode()[..^1]));
        Assert.ThrowsAny<FormatException>(() => Proposal.Decode([.. good.Encode(), 1]));
    }

    [Fact]
    public void Evidence_round_trips_verifies_and_is_canonical()
    {
        var a = Vote.Create(ChainId, VoteType.Prevote, 3, 1, Hash, Key);
        var b = Vote.Create(ChainId, VoteType.Prevote, 3, 1, null, Key);
        var evidence = DoubleSignEvidence.Create(a, b);
        Assert.Equal(evidence, DoubleSignEvidence.Create(b, a));
        Assert.Null(evidence.A.BlockHash); // nil sorts first
        Assert.True(evidence.Verify(ChainId, out var error), error);
        var decoded = DoubleSignEvidence.Decode(evidence.Encode());
        Assert.Equal(evidence, decoded);
        Assert.True(decoded.Verify(ChainId, out _));
        Assert.False(decoded.Verify(ChainId + 1, out error));
        Assert.Contains("signature", error);

        Assert.False(new DoubleSignEvidence(a, b).Verify(ChainId, out error));
        Assert.Contains("canonical order", error);
        Assert.False(DoubleSignEvidence.Create(a, a).Verify(ChainId, out error));
        Assert.Contains("same block", error);
        var other = Vote.Create(ChainId, VoteType.Prevote, 3, 1, null, TestKeys.Key(1));
        Assert.False(DoubleSignEvidence.Create(a, other).Verify(ChainId, out error));
        Assert.Contains("different validators", error);
        var otherRound = Vote.Create(ChainId, VoteType.Prevote, 3, 2, null, Key);
        Assert.False(DoubleSignEvidence.Create(a, otherRound).Verify(ChainId, out error));
        Assert.Contains("different rounds", error);
        var otherType = Vote.Create(ChainId, VoteType.Precommit, 3, 1, null, Key);
        Assert.False(DoubleSignEvidence.Create(a, otherType).Verify(ChainId, out error));
        Assert.Contains("different types", error);
        var forged = b with { Signature = a.Signature };
        Assert.False(DoubleSignEvidence.Create(a, forged).Verify(ChainId, out error));
        Assert.Contains("signature", error);

        Assert.Contains("expected 2 fields", Assert.Throws<RlpException>(() => DoubleSignEvidence.Decode(Rlp.EncodeList(a.Encode()))).Message);
    }
}
