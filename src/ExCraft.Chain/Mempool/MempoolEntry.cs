using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>A pending transaction with its recovered sender and arrival order (ties in fee go to the earlier one).</summary>
public sealed record MempoolEntry(Transaction Transaction, Address Sender, long Sequence)
{
    public UInt128 Fee => Transaction.Fee;
    public ulong Nonce => Transaction.Nonce;
    public int Size => Transaction.Encoded.Length;
}
