using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Tests;

public class BlockTests
{
    private static byte[] Filled(byte value) => Enumerable.Repeat(value, 32).ToArray();

    private static BlockHeader SampleHeader() => new(
        ChainId: 9545,
        Height: 7,
        TimeMs: 1_767_225_600_000, // 2026-01-01T00:00:00Z
        PreviousHash: Filled(0x11),
        LastCommitHash: Filled(0x44),
        TransactionsRoot: Filled(0x22),
        AppHash: Filled(0x33),
        Proposer: DevKeys.Validator.Address);

    // rlp([9545, 7, 1767225600000, 0x11*32, 0x44*32, 0x22*32, 0x33*32, proposer]), written out field by field.
    private const string SampleHeaderHex =
        "0xf8a4" +
        "822549" +                   // chain id 9545
        "07" +                       // height 7
        "86019b76daa800" +           // time 1767225600000 ms
        "a0" + "1111111111111111111111111111111111111111111111111111111111111111" +
        "a0" + "4444444444444444444444444444444444444444444444444444444444444444" +
        "a0" + "2222222222222222222222222222222222222222222222222222222222222222" +
        "a0" + "3333333333333333333333333333333333333333333333333333333333333333" +
        "94" + "a8f95c6f65ff1e3492671542bcb9feccba15b9cf"; // proposer: the dev validator

    // keccak256 of the bytes above (computed independently with ethers' keccak256).
    private const string SampleHeaderHashHex = "0xaac751972e8830890793b604b872dc9a2a15b8ec18071c909835c9df6148c8e5";

    [Fact]
    public void Header_EncodingIsPinned_AndHashIsKeccakOfIt()
    {
        var header = SampleHeader();
        Assert.Equal(SampleHeaderHex, Hex.Encode(header.Encode()));
        Assert.Equal(SampleHeaderHashHex, Hex.Encode(header.Hash));
        Assert.Equal(SampleHeaderHashHex, Hex.Encode(Keccak256.Hash(Hex.Decode(SampleHeaderHex))));
        Assert.Equal(SampleHeaderHashHex, Hex.Encode(header.Hash)); // the cached value is stable
        Assert.Equal(SampleHeaderHashHex, Hex.Encode(SampleHeader().Hash));
    }

    [Fact]
    public void Header_RoundTrips()
    {
        var header = SampleHeader();
        var decoded = BlockHeader.Decode(Rlp.Decode(header.Encode()));
        Assert.Equal(header.ChainId, decoded.ChainId);
        Assert.Equal(header.Height, decoded.Height);
        Assert.Equal(header.TimeMs, decoded.TimeMs);
        Assert.Equal(header.PreviousHash, decoded.PreviousHash);
        Assert.Equal(header.LastCommitHash, decoded.LastCommitHash);
        Assert.Equal(header.TransactionsRoot, decoded.TransactionsRoot);
        Assert.Equal(header.AppHash, decoded.AppHash);
        Assert.Equal(header.Proposer, decoded.Proposer);
        Assert.Equal(header.Encode(), decoded.Encode());
        Assert.Equal(header.Hash, decoded.Hash);
    }

    [Fact]
    public void Header_HashChangesWithEveryField()
    {
        var baseHash = Hex.Encode(SampleHeader().Hash);
        var variants = new[]
        {
            SampleHeader() with { ChainId = 9546 },
            SampleHeader() with { Height = 8 },
            SampleHeader() with { TimeMs = 1_767_225_600_001 },
            SampleHeader() with { PreviousHash = Filled(0x12) },
            SampleHeader() with { LastCommitHash = Filled(0x45) },
            SampleHeader() with { TransactionsRoot = Filled(0x23) },
            SampleHeader() with { AppHash = Filled(0x34) },
            SampleHeader() with { Proposer = DevKeys.Account(0).Address },
        };
        var hashes = variants.Select(v => Hex.Encode(v.Hash)).Append(baseHash).ToHashSet();
        Assert.Equal(variants.Length + 1, hashes.Count);
    }

    [Theory]
    [InlineData("previous hash must be 32 bytes", 3)]
    [InlineData("last commit hash must be 32 bytes", 4)]
    [InlineData("transactions root must be 32 bytes", 5)]
    [InlineData("app hash must be 32 bytes", 6)]
    [InlineData("proposer must be 20 bytes", 7)]
    public void Header_WrongFieldLength_IsRejected(string message, int field)
    {
        var items = Rlp.Decode(SampleHeader().Encode()).Items.Select(i => Rlp.EncodeBytes(i.Bytes)).ToArray();
        items[field] = Rlp.EncodeBytes(new byte[field == 7 ? 19 : 31]);
        var e = Assert.Throws<RlpException>(() => BlockHeader.Decode(Rlp.Decode(Rlp.EncodeList(items))));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Header_With_RecomputesTheHash()
    {
        // A header derived with `with` must not carry the cached hash of the header it was copied from.
        var header = SampleHeader();
        var before = header.Hash;
        var derived = header with { Height = 8 };
        Assert.NotEqual(Hex.Encode(before), Hex.Encode(derived.Hash));
        Assert.Equal(Keccak256.Hash(derived.Encode()), derived.Hash);
        Assert.Equal(before, header.Hash);
    }

    [Fact]
    public void Header_WrongFieldCount_IsRejected()
    {
        var extra = Rlp.AppendToList(SampleHeader().Encode(), Rlp.EncodeUInt(1UL));
        Assert.Contains("block header: expected 8 fields, found 9",
            Assert.Throws<RlpException>(() => BlockHeader.Decode(Rlp.Decode(extra))).Message);
    }

    [Fact]
    public void Block_WithTransactionsAndCommit_RoundTrips()
    {
        var txs = new[]
        {
            Transaction.Create(9545, 0, 10_000_000_000_000, new TransferPayload(DevKeys.Account(1).Address, "EXT", 1), DevKeys.Account(0)),
            Transaction.Create(9545, 0, 10_000_000_000_000, new RegisterPayload(), DevKeys.Account(1)),
            Transaction.Create(9545, 1, 10_000_000_000_000, new IssueAssetPayload("GOLD", 6, 1_000_000), DevKeys.Account(0)),
        };
        var previous = SampleHeader();
        var signBytes = Commit.SignBytes(9545, previous.Height, 0, previous.Hash);
        var commit = new Commit(previous.Height, 0, previous.Hash,
            [new CommitSignature(DevKeys.Validator.Address, DevKeys.Validator.Sign(signBytes))]);
        var header = previous with
        {
            Height = previous.Height + 1,
            PreviousHash = previous.Hash,
            TransactionsRoot = Block.ComputeTransactionsRoot(txs),
        };
        var block = new Block(header, txs, commit);

        var encoded = block.Encode();
        var decoded = Block.Decode(encoded);
        Assert.Equal(encoded, decoded.Encode());
        Assert.Equal(block.Hash, decoded.Hash);
        Assert.Equal(header.Hash, decoded.Hash);
        Assert.Equal(8UL, decoded.Height);
        Assert.Equal(txs.Select(t => Hex.Encode(t.Hash)), decoded.Transactions.Select(t => Hex.Encode(t.Hash)));
        Assert.Equal(Block.ComputeTransactionsRoot(decoded.Transactions), decoded.Header.TransactionsRoot);
        Assert.Equal(previous.Hash, decoded.LastCommit.BlockHash);
        var signature = Assert.Single(decoded.LastCommit.Signatures);
        Assert.Equal(DevKeys.Validator.Address, signature.Validator);
        Assert.True(Secp256k1Recovery.TryRecoverAddress(signBytes, signature.Signature, out var signer, out var error), error);
        Assert.Equal(DevKeys.Validator.Address, signer);

        // Transactions are carried as byte strings holding their own wire form.
        var items = Rlp.Decode(encoded).Items;
        Assert.Equal(txs[0].Encoded, items[1].Items[0].Bytes);
    }

    /// <summary>
    /// Block.Encode writes its bytes in one pass (and its encoding plan into a caller's buffer): they must be
    /// the composed definition rlp([header, [tx bytes...], commit]), for no, one and thousands of
    /// transactions (the list header's length field grows from one byte to three).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3_000)]
    public void Block_encoding_in_one_pass_equals_the_composed_definition(int count)
    {
        var txs = Enumerable.Range(0, count).Select(i => Transaction.Create(9545, (ulong)i, 10_000_000_000_000,
            new TransferPayload(DevKeys.Account(1).Address, "EXT", (UInt128)i + 1), DevKeys.Account(0))).ToList();
        var block = new Block(SampleHeader() with { TransactionsRoot = Block.ComputeTransactionsRoot(txs) }, txs, Commit.Empty);
        var composed = Rlp.EncodeList(block.Header.Encode(), Rlp.EncodeList(txs.Select(t => Rlp.EncodeBytes(t.Encoded))), block.LastCommit.Encode());

        Assert.Equal(composed, block.Encode());
        var plan = block.PlanEncoding();
        Assert.Equal(composed.Length, plan.Length);
        var buffer = new byte[composed.Length + 7];
        Assert.Equal(composed.Length, plan.WriteTo(buffer));
        Assert.Equal(composed, buffer[..composed.Length]);
    }

    [Fact]
    public void EmptyBlock_RoundTrips()
    {
        var block = new Block(SampleHeader() with { TransactionsRoot = MerkleRoot.Compute([]) }, [], Commit.Empty);
        var decoded = Block.Decode(block.Encode());
        Assert.Empty(decoded.Transactions);
        Assert.Equal(new byte[32], decoded.Header.TransactionsRoot);
        Assert.Equal(Commit.Empty.Encode(), decoded.LastCommit.Encode());
        Assert.Equal("0xe48080a00000000000000000000000000000000000000000000000000000000000000000c0", Hex.Encode(Commit.Empty.Encode()));
    }

    [Fact]
    public void Commit_SignBytes_IsKeccakOfRlpList()
    {
        var blockHash = Filled(0xab);
        var expected = Keccak256.Hash(Hex.Decode(
            "0xe6" + "822549" + "07" + "02" + "a0" + "abababababababababababababababababababababababababababababababab"));
        Assert.Equal(expected, Commit.SignBytes(9545, 7, 2, blockHash));
    }

    [Fact]
    public void Commit_BadSignature_IsRejected()
    {
        var commit = new Commit(1, 0, Filled(0x01), [new CommitSignature(DevKeys.Validator.Address, DevKeys.Validator.Sign(Filled(0x02)))]);
        var item = Rlp.Decode(commit.Encode());
        // Replace the 65-byte signature by 64 bytes.
        var bad = Rlp.EncodeList(
            Rlp.EncodeUInt(1UL), Rlp.EncodeUInt(0UL), Rlp.EncodeBytes(Filled(0x01)),
            Rlp.EncodeList(Rlp.EncodeList(Rlp.EncodeBytes(DevKeys.Validator.Address.ToBytes()), Rlp.EncodeBytes(item.Items[3].Items[0].Items[1].Bytes[..64]))));
        Assert.Contains("commit signature", Assert.Throws<RlpException>(() => Commit.Decode(Rlp.Decode(bad))).Message);
    }

    // ---- MerkleRoot ------------------------------------------------------------------------

    private static byte[] Leaf(byte[] data) => Keccak256.Hash([0x00, .. data]);

    private static byte[] Node(byte[] left, byte[] right) => Keccak256.Hash([0x01, .. left, .. right]);

    [Fact]
    public void MerkleRoot_Empty_IsZero()
    {
        Assert.Equal(new byte[32], MerkleRoot.Compute([]));
    }

    [Fact]
    public void MerkleRoot_OneLeaf_IsDomainSeparatedLeafHash()
    {
        var leaf = Filled(0xaa);
        Assert.Equal(Keccak256.Hash([0x00, .. leaf]), MerkleRoot.Compute([leaf]));
        Assert.NotEqual(leaf, MerkleRoot.Compute([leaf])); // a lone leaf is still hashed
        // Pinned: keccak256(0x00 || 0xaa * 32), computed independently with ethers' keccak256.
        Assert.Equal("0x815bde701647c66bafabad0989cccc955bf07110ed03619a85aa13cc4206c531", Hex.Encode(MerkleRoot.Compute([leaf])));
    }

    [Fact]
    public void MerkleRoot_ThreeLeaves_CarriesTheOddNodeUp()
    {
        byte[] a = [0x61], b = [0x62], c = [0x63];
        // Level 0: L(a), L(b), L(c). Level 1: N(L(a), L(b)), L(c) carried up unpaired. Root: N(level1[0], L(c)).
        var expected = Node(Node(Leaf(a), Leaf(b)), Leaf(c));
        Assert.Equal(Hex.Encode(expected), Hex.Encode(MerkleRoot.Compute([a, b, c])));
        // The same, computed independently with ethers' keccak256.
        Assert.Equal("0x3f6c2d6d0c2fcd67795ea50af0dc85c8e2df8832efe3c49e36d8fe2e71bcc07b", Hex.Encode(MerkleRoot.Compute([a, b, c])));
        // Not the "duplicate the last node" rule: that would be N(N(a,b), N(c,c)).
        Assert.NotEqual(Node(Node(Leaf(a), Leaf(b)), Node(Leaf(c), Leaf(c))), MerkleRoot.Compute([a, b, c]));
        // And a list cannot collide with its "odd node duplicated" extension.
        Assert.NotEqual(MerkleRoot.Compute([a, b, c]), MerkleRoot.Compute([a, b, c, c]));
    }

    [Fact]
    public void MerkleRoot_TwoFourFiveLeaves()
    {
        byte[][] x = [[1], [2], [3], [4], [5]];
        Assert.Equal(Node(Leaf(x[0]), Leaf(x[1])), MerkleRoot.Compute(x[..2]));
        var four = Node(Node(Leaf(x[0]), Leaf(x[1])), Node(Leaf(x[2]), Leaf(x[3])));
        Assert.Equal(four, MerkleRoot.Compute(x[..4]));
        Assert.Equal(Node(four, Leaf(x[4])), MerkleRoot.Compute(x));
        // Leaves are not mutated by the computation.
        Assert.Equal([1], x[0]);
    }

    [Fact]
    public void MerkleRoot_InnerNodeIsNotALeaf()
    {
        // Domain separation: the root of two leaves differs from a single leaf holding their concatenation.
        byte[] a = Filled(0x01), b = Filled(0x02);
        Assert.NotEqual(MerkleRoot.Compute([a, b]), MerkleRoot.Compute([[.. Leaf(a), .. Leaf(b)]]));
    }
}
