using ExCraft.Chain.Production;

namespace ExCraft.Node.Consensus;

/// <summary>The block producer of a validator; none on a full node, which never proposes.</summary>
public sealed record ProposalSource(BlockProducer? Producer);
