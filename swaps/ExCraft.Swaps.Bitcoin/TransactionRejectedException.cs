using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>The node did not take a broadcast transaction into its mempool.</summary>
public sealed class TransactionRejectedException(uint256 txId, string reason)
    : Exception($"transaction {txId} rejected: {reason}")
{
    public uint256 TxId { get; } = txId;
    public string Reason { get; } = reason;
}
