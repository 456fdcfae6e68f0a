using ExCraft.Core.Crypto;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>One step of a Merkle proof: the sibling's hash and whether it sits left of the running hash.</summary>
public readonly record struct ProofStep(byte[] Sibling, bool SiblingIsLeft);

/// <summary>
/// The PoE report's Merkle tree (docs/poe.md, "Merkle tree"): leaves are keccak256(0x00 ‖ entry
/// rlp) in report order (masked id ascending); a parent is keccak256(0x01 ‖ left ‖ right); a level
/// with an odd count promotes its last node unchanged to the next level. The root of no entries is
/// 32 zero bytes. The 0x00/0x01 tags keep a leaf from passing as an inner node.
/// </summary>
public static class PoeMerkle
{
    public static readonly byte[] EmptyRoot = new byte[32];

    public static byte[] Leaf(byte[] encodedEntry)
    {
        var data = new byte[1 + encodedEntry.Length];
        encodedEntry.CopyTo(data, 1);
        return Keccak256.Hash(data);
    }

    public static byte[] Node(byte[] left, byte[] right)
    {
        var data = new byte[65];
        data[0] = 1;
        left.CopyTo(data, 1);
        right.CopyTo(data, 33);
        return Keccak256.Hash(data);
    }

    public static byte[] Root(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0) return EmptyRoot;
        var level = leaves.ToList();
        while (level.Count > 1) level = Up(level);
        return level[0];
    }

    /// <summary>The steps from leaf <paramref name="index"/> to the root; a promoted level adds no step.</summary>
    public static IReadOnlyList<ProofStep> Proof(IReadOnlyList<byte[]> leaves, int index) => ProofFromLevels(Levels(leaves), index);

    /// <summary>Every level of the tree, leaves first and the root last (one level for a single leaf): built once, any leaf's proof is read off it.</summary>
    public static IReadOnlyList<IReadOnlyList<byte[]>> Levels(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0) return [];
        var levels = new List<IReadOnlyList<byte[]>>();
        var level = leaves.ToList();
        levels.Add(level);
        while (level.Count > 1)
        {
            level = Up(level);
            levels.Add(level);
        }
        return levels;
    }

    /// <summary>The steps from leaf <paramref name="index"/> to the root, read off the tree's levels.</summary>
    public static IReadOnlyList<ProofStep> ProofFromLevels(IReadOnlyList<IReadOnlyList<byte[]>> levels, int index)
    {
        if (levels.Count == 0 || index < 0 || index >= levels[0].Count) throw new ArgumentOutOfRangeException(nameof(index));
        var steps = new List<ProofStep>();
        for (var l = 0; l + 1 < levels.Count; l++)
        {
            var sibling = index ^ 1;
            if (sibling < levels[l].Count) steps.Add(new ProofStep(levels[l][sibling], SiblingIsLeft: sibling < index));
            index /= 2;
        }
        return steps;
    }

    public static byte[] RootFromProof(byte[] leaf, IEnumerable<ProofStep> steps) =>
        steps.Aggregate(leaf, (hash, step) => step.SiblingIsLeft ? Node(step.Sibling, hash) : Node(hash, step.Sibling));

    public static bool Verify(byte[] leaf, IEnumerable<ProofStep> steps, byte[] root) => RootFromProof(leaf, steps).AsSpan().SequenceEqual(root);

    private static List<byte[]> Up(List<byte[]> level)
    {
        var next = new byte[(level.Count + 1) / 2][];
        SlotParallel.For(next.Length, j => next[j] = 2 * j + 1 < level.Count ? Node(level[2 * j], level[2 * j + 1]) : level[2 * j]); // each parent in its own slot
        return [.. next];
    }
}
