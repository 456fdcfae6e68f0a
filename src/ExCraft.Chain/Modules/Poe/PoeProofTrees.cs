using ExCraft.Chain.State;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// The RPC's proofs without re-reading and re-hashing every entry of an epoch per request: the
/// tree of a closed report is built once (one ordered pass over its entries) and kept in memory
/// for the last few roots asked about. A closed report never changes, and the key is its
/// committed root, so a kept tree is right for any later state; a tree is kept only if it hashes
/// to that root. Node-local memory, nothing in state: the app hash is not affected.
/// </summary>
public static class PoeProofTrees
{
    private const int Kept = 2; // about 11 MB each at 100,000 entries
    private static readonly object Lock = new();
    private static readonly LinkedList<(byte[] Root, IReadOnlyList<IReadOnlyList<byte[]>> Levels)> Trees = new();

    /// <summary>The levels of the report's tree (leaves first), from memory when this root was asked about recently.</summary>
    public static IReadOnlyList<IReadOnlyList<byte[]>> Of(IStateReader state, PoeReportSummary summary)
    {
        lock (Lock)
        {
            for (var node = Trees.First; node is not null; node = node.Next)
            {
                if (node.Value.Root.AsSpan().SequenceEqual(summary.Root)) return node.Value.Levels;
            }
        }
        var levels = PoeMerkle.Levels(PoeState.ReadLeaves(state, summary.Epoch));
        var root = levels.Count == 0 ? PoeMerkle.EmptyRoot : levels[^1][0];
        if (!root.AsSpan().SequenceEqual(summary.Root)) return levels; // not the committed tree: serve it (the proof will not verify), never keep it
        lock (Lock)
        {
            Trees.AddFirst((summary.Root, levels));
            while (Trees.Count > Kept) Trees.RemoveLast();
        }
        return levels;
    }
}
