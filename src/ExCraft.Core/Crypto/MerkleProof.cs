namespace ExCraft.Core.Crypto;

/// <summary>
/// Inclusion proofs for <see cref="MerkleRoot"/>: the sibling hashes from a leaf up to the root.
/// At a level where the node is the last of an odd count it is carried up unpaired and contributes
/// no sibling, exactly as the root is built.
/// </summary>
public static class MerkleProof
{
    public static IReadOnlyList<byte[]> Create(IReadOnlyList<byte[]> leaves, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var level = leaves.Select(l => Keccak256.HashConcat([0x00], l)).ToList();
        var proof = new List<byte[]>();
        while (level.Count > 1)
        {
            var sibling = index ^ 1;
            if (sibling < level.Count) proof.Add(level[sibling]);
            var next = new List<byte[]>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
                next.Add(i + 1 < level.Count ? Keccak256.HashConcat([0x01], level[i], level[i + 1]) : level[i]);
            level = next;
            index /= 2;
        }
        return proof;
    }

    /// <summary>True when the leaf at this index of a tree of <paramref name="count"/> leaves hashes up to the root.</summary>
    public static bool Verify(byte[] root, byte[] leaf, int index, int count, IReadOnlyList<byte[]> proof)
    {
        if (index < 0 || index >= count || root.Length != Keccak256.Length) return false;
        var node = Keccak256.HashConcat([0x00], leaf);
        var used = 0;
        for (var size = count; size > 1; size = (size + 1) / 2, index /= 2)
        {
            var sibling = index ^ 1;
            if (sibling >= size) continue; // carried up unpaired
            if (used >= proof.Count || proof[used].Length != Keccak256.Length) return false;
            node = (index & 1) == 0 ? Keccak256.HashConcat([0x01], node, proof[used]) : Keccak256.HashConcat([0x01], proof[used], node);
            used++;
        }
        return used == proof.Count && node.AsSpan().SequenceEqual(root);
    }
}
