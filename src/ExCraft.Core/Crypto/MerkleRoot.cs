namespace ExCraft.Core.Crypto;

/// <summary>
/// Binary keccak-256 Merkle root. Leaves and inner nodes are domain-separated (0x00 / 0x01
/// prefix) and an odd node is carried up unpaired rather than duplicated, so two different
/// lists can never share a root. The root of no leaves is 32 zero bytes.
/// </summary>
public static class MerkleRoot
{
    public static byte[] Compute(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0) return new byte[32];
        var level = new byte[leaves.Count][];
        for (var i = 0; i < leaves.Count; i++) level[i] = Keccak256.HashConcat([0x00], leaves[i]);
        var count = level.Length;
        while (count > 1)
        {
            var next = 0;
            for (var i = 0; i < count; i += 2)
            {
                level[next++] = i + 1 < count ? Keccak256.HashConcat([0x01], level[i], level[i + 1]) : level[i];
            }
            count = next;
        }
        return level[0];
    }
}
