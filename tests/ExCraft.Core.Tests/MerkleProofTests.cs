using ExCraft.Core.Crypto;

namespace ExCraft.Core.Tests;

public sealed class MerkleProofTests
{
    private static List<byte[]> Leaves(int count) => Enumerable.Range(0, count).Select(i => new[] { (byte)i, (byte)(i * 7) }).ToList();

    [Fact]
    public void Every_leaf_of_every_tree_size_up_to_40_proves_against_the_root()
    {
        for (var count = 1; count <= 40; count++)
        {
            var leaves = Leaves(count);
            var root = MerkleRoot.Compute(leaves);
            for (var i = 0; i < count; i++)
            {
                var proof = MerkleProof.Create(leaves, i);
                Assert.True(MerkleProof.Verify(root, leaves[i], i, count, proof), $"leaf {i} of {count}");
                Assert.False(MerkleProof.Verify(root, [0xff], i, count, proof), $"wrong leaf {i} of {count}");
                if (count > 1) Assert.False(MerkleProof.Verify(root, leaves[i], (i + 1) % count, count, proof), $"wrong index {i} of {count}");
            }
        }
    }

    [Fact]
    public void A_tampered_or_truncated_proof_fails()
    {
        var leaves = Leaves(9);
        var root = MerkleRoot.Compute(leaves);
        var proof = MerkleProof.Create(leaves, 4).ToList();
        var tampered = proof.Select(p => (byte[])p.Clone()).ToList();
        tampered[1][0] ^= 1;
        Assert.False(MerkleProof.Verify(root, leaves[4], 4, 9, tampered));
        Assert.False(MerkleProof.Verify(root, leaves[4], 4, 9, proof.Take(proof.Count - 1).ToList()));
        Assert.False(MerkleProof.Verify(root, leaves[4], 4, 9, [.. proof, new byte[32]]));
        Assert.False(MerkleProof.Verify(root, leaves[4], 4, 5, proof)); // a count that changes the tree shape
        Assert.False(MerkleProof.Verify(root, leaves[4], 9, 9, proof));
    }
}
