using ExCraft.Chain.Modules.Poe;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Tests.Poe;

/// <summary>
/// The close builds the report's tree as a frontier of complete subtrees kept in state between
/// blocks; its root must be exactly the "promote the odd node" root of <see cref="PoeMerkle.Root"/>
/// for every leaf count, also when the frontier goes through its encoding between leaves.
/// </summary>
public sealed class PoeMerkleFrontierTests
{
    private static byte[] LeafOf(int i) => PoeMerkle.Leaf(Rlp.EncodeUInt((ulong)i));

    [Fact]
    public void The_frontier_root_equals_the_promoted_odd_node_root_for_every_size_up_to_300()
    {
        var leaves = new List<byte[]>();
        var frontier = new PoeMerkleFrontier();
        Assert.Equal(PoeMerkle.EmptyRoot, frontier.Root());
        for (var n = 1; n <= 300; n++)
        {
            leaves.Add(LeafOf(n));
            frontier.Add(leaves[^1]);
            Assert.Equal(PoeMerkle.Root(leaves), frontier.Root());
        }
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 4_097)]
    [InlineData(3, 10_001)]
    public void The_frontier_root_equals_the_tree_root_at_random_larger_sizes_through_its_encoding(int seed, int maxSize)
    {
        var random = new Random(seed);
        for (var round = 0; round < 3; round++)
        {
            var size = random.Next(301, maxSize + 1);
            var leaves = Enumerable.Range(0, size).Select(i => LeafOf(i * 7 + seed)).ToList();
            var frontier = new PoeMerkleFrontier();
            foreach (var leaf in leaves)
            {
                frontier.Add(leaf);
                if (random.Next(50) == 0) frontier = PoeMerkleFrontier.Decode(Rlp.Decode(frontier.Encode())); // as between two blocks
            }
            Assert.Equal(PoeMerkle.Root(leaves), frontier.Root());
        }
    }
}
