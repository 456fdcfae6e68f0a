using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// The PoE report's Merkle tree built leaf by leaf across blocks (docs/poe.md, "The close spread
/// over blocks"): only the roots of its complete subtrees are kept (at most one per height, the
/// binary digits of the leaf count), so the state holds ~40 hashes, not the tree. The
/// "promote the odd node" root of <see cref="PoeMerkle.Root"/> is these subtrees folded from the
/// smallest up: a level's odd last node is exactly the smaller subtrees' fold, promoted until it
/// meets the next complete subtree on its left. Tested equal to <see cref="PoeMerkle.Root"/> over many sizes.
/// </summary>
public sealed class PoeMerkleFrontier
{
    private readonly List<(int Height, byte[] Hash)> _subtrees;

    public PoeMerkleFrontier() => _subtrees = [];

    private PoeMerkleFrontier(List<(int, byte[])> subtrees) => _subtrees = subtrees;

    public void Add(byte[] leaf)
    {
        _subtrees.Add((0, leaf));
        while (_subtrees.Count >= 2 && _subtrees[^1].Height == _subtrees[^2].Height)
        {
            var right = _subtrees[^1];
            var left = _subtrees[^2];
            _subtrees.RemoveRange(_subtrees.Count - 2, 2);
            _subtrees.Add((left.Height + 1, PoeMerkle.Node(left.Hash, right.Hash)));
        }
    }

    /// <summary>The root over every leaf added; 32 zero bytes when none.</summary>
    public byte[] Root()
    {
        if (_subtrees.Count == 0) return PoeMerkle.EmptyRoot;
        var root = _subtrees[^1].Hash;
        for (var i = _subtrees.Count - 2; i >= 0; i--) root = PoeMerkle.Node(_subtrees[i].Hash, root);
        return root;
    }

    public byte[] Encode() => Rlp.EncodeList(_subtrees.Select(s => Rlp.EncodeList(Rlp.EncodeUInt((ulong)s.Height), Rlp.EncodeBytes(s.Hash))));

    public static PoeMerkleFrontier Decode(RlpItem item) =>
        new(item.Items.Select(s => s.ListOf(2, "poe merkle subtree")).Select(f => (f[0].AsInt32(), f[1].AsFixed(32, "subtree hash"))).ToList());
}
