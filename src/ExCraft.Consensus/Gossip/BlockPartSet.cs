using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Consensus.Gossip;

/// <summary>
/// Splits a proposal's block into parts for gossip, and puts the parts of a received proposal
/// back together. Every part is checked against the signed header's Merkle root as it arrives, so
/// a peer cannot slip in a wrong piece; the assembled block must have the signed block hash.
/// </summary>
public sealed class BlockPartSet
{
    public const int PartSize = 64 * 1024;
    public const int MaxParts = 1_024; // 64 MiB, the largest proposal the engine accepts

    private readonly ProposalHeader _header;
    private readonly byte[]?[] _parts;
    private int _received;

    public BlockPartSet(ProposalHeader header)
    {
        _header = header;
        _parts = new byte[]?[header.PartCount];
    }

    public ProposalHeader Header => _header;
    public bool IsComplete => _received == _parts.Length;

    public static (ProposalHeader Header, IReadOnlyList<BlockPart> Parts) Split(Proposal proposal)
    {
        var encoded = proposal.Block.Encode();
        var chunks = encoded.Chunk(PartSize).ToList();
        if (chunks.Count > MaxParts) throw new ArgumentException($"block of {encoded.Length} bytes needs more than {MaxParts} parts");
        var root = MerkleRoot.Compute(chunks);
        var header = new ProposalHeader(proposal.Height, proposal.Round, proposal.PolRound, proposal.Block.Hash, proposal.Proposer, proposal.Signature, chunks.Count, root);
        var parts = chunks.Select((c, i) => new BlockPart(proposal.Height, proposal.Round, proposal.Block.Hash, i, c, MerkleProof.Create(chunks, i))).ToList();
        return (header, parts);
    }

    /// <summary>Adds a part; false (with the reason) when it does not belong to this set or fails its proof.</summary>
    public bool TryAdd(BlockPart part, out string error)
    {
        error = "";
        if (part.Height != _header.Height || part.Round != _header.Round || !part.BlockHash.AsSpan().SequenceEqual(_header.BlockHash))
            error = "part is for another proposal";
        else if (part.Index < 0 || part.Index >= _parts.Length)
            error = $"part index {part.Index} is outside 0..{_parts.Length - 1}";
        else if (!MerkleProof.Verify(_header.PartsRoot, part.Data, part.Index, _parts.Length, part.Proof))
            error = $"part {part.Index} does not prove against the parts root";
        if (error.Length > 0) return false;
        if (_parts[part.Index] is null)
        {
            _parts[part.Index] = part.Data;
            _received++;
        }
        return true;
    }

    /// <summary>The whole proposal once every part is in; throws FormatException when the parts do not make the signed block.</summary>
    public Proposal Assemble()
    {
        if (!IsComplete) throw new InvalidOperationException($"{_received} of {_parts.Length} parts received");
        var encoded = _parts.SelectMany(p => p!).ToArray();
        var block = Block.Decode(encoded);
        if (!block.Hash.AsSpan().SequenceEqual(_header.BlockHash)) throw new RlpException("assembled block does not have the signed block hash");
        return _header.ToProposal(block);
    }
}
