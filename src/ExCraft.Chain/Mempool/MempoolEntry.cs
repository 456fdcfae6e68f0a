using ExCraft.Chain.Modules;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>
/// A pending transaction with its recovered sender and arrival order (ties in fee go to the
/// earlier one). SenderPaysFee is false for an agent action whose account pays the fee (decided
/// once at admission, so the pool's spend totals add and subtract the same amounts). Spend is what
/// it may take from its sender per asset, also computed once at admission: the pool adds it,
/// subtracts it and re-checks it after every block without asking the handler (and, for orders,
/// the market's definition in state) again.
/// </summary>
public sealed record MempoolEntry(Transaction Transaction, Address Sender, long Sequence, bool SenderPaysFee = true)
{
    public UInt128 Fee => Transaction.Fee;
    public ulong Nonce => Transaction.Nonce;
    public int Size => Transaction.Encoded.Length;
    public MarketTrafficClass Market { get; } = MarketTraffic.Of(Transaction.Payload);
    public IReadOnlyList<AssetAmount> Spend { get; init; } = [];
}
