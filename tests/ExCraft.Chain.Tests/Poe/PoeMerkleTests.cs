using ExCraft.Chain.Modules.Poe;
using ExCraft.Core;
using ExCraft.Core.Crypto;

namespace ExCraft.Chain.Tests.Poe;

/// <summary>The report's Merkle tree against a recursive reference written here: roots, every proof, and tampering.</summary>
public sealed class PoeMerkleTests
{
    private static PoeEntry EntryOf(int i) => new(Keccak256.Hash([(byte)i]), (UInt128)(1_000 * i), (ulong)i, (ulong)(i + 1), i % 2 == 0, (UInt128)i, (UInt128)(7 * i));

    /// <summary>The documented rule, recursively: pair left to right, promote an odd last node, tag 0x00 for leaves and 0x01 for nodes.</summary>
    private static byte[] ReferenceRoot(IReadOnlyList<PoeEntry> entries)
    {
        if (entries.Count == 0) return new byte[32];
        var level = entries.Select(e => Keccak256.Hash([0x00, .. e.Encode()])).ToList();
        while (level.Count > 1)
        {
            level = level.Chunk(2).Select(pair => pair.Length == 2 ? Keccak256.Hash([0x01, .. pair[0], .. pair[1]]) : pair[0]).ToList();
        }
        return level[0];
    }

    [Fact]
    public void Roots_match_the_reference_for_every_size_up_to_17()
    {
        for (var n = 0; n <= 17; n++)
        {
            var entries = Enumerable.Range(0, n).Select(EntryOf).ToList();
            Assert.Equal(ReferenceRoot(entries), PoeMerkle.Root(entries.Select(e => e.LeafHash()).ToList()));
        }
    }

    [Fact]
    public void Every_proof_verifies_and_a_tampered_entry_or_proof_fails()
    {
        for (var n = 1; n <= 11; n++)
        {
            var entries = Enumerable.Range(0, n).Select(EntryOf).ToList();
            var leaves = entries.Select(e => e.LeafHash()).ToList();
            var root = PoeMerkle.Root(leaves);
            for (var i = 0; i < n; i++)
            {
                var proof = PoeMerkle.Proof(leaves, i);
                Assert.True(PoeMerkle.Verify(leaves[i], proof, root), $"n={n} i={i}");
                var tampered = entries[i] with { Reward = entries[i].Reward + 1 };
                Assert.False(PoeMerkle.Verify(tampered.LeafHash(), proof, root), $"tampered n={n} i={i}");
                if (n > 1) Assert.False(PoeMerkle.Verify(leaves[(i + 1) % n], proof, root), $"another leaf n={n} i={i}");
                if (proof.Count > 0)
                {
                    var flipped = proof.Select((s, k) => k == 0 ? s with { SiblingIsLeft = !s.SiblingIsLeft } : s).ToList();
                    Assert.False(PoeMerkle.Verify(leaves[i], flipped, root), $"flipped n={n} i={i}");
                }
            }
        }
    }

    [Fact]
    public void A_leaf_cannot_pass_as_an_inner_node()
    {
        var leaves = Enumerable.Range(0, 2).Select(i => EntryOf(i).LeafHash()).ToList();
        Assert.NotEqual(PoeMerkle.Node(leaves[0], leaves[1]), PoeMerkle.Leaf([.. leaves[0], .. leaves[1]]));
    }

    [Fact]
    public void The_masked_id_is_keccak_of_address_and_big_endian_epoch()
    {
        var account = TestChain.Key(1).Address;
        byte[] data = [.. account.ToBytes(), 0, 0, 0, 0, 0, 0, 1, 2];
        Assert.Equal(Keccak256.Hash(data), PoeEntry.Mask(account, 258));
        Assert.NotEqual(PoeEntry.Mask(account, 258), PoeEntry.Mask(account, 259));
        Assert.Equal(EntryOf(3).Encode(), PoeEntry.Decode(EntryOf(3).Encode()).Encode()); // records holding arrays compare by reference, so compare bytes
    }
}
