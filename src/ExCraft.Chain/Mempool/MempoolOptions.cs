namespace ExCraft.Chain.Mempool;

/// <summary>
/// Bounds of the mempool; a replacement for a pending nonce must raise the fee by
/// ReplacementFeeBumpPercent. The market limits (docs/markets.md, "Mempool limits"): an account
/// (a sending key: an agent key counts on its own) may have at most MaxPendingOrdersPerAccount
/// pending order transactions (places, amends, batches with either) and a block takes at most
/// MaxOrdersPerAccountPerBlock of them per account; cancels are never held back by either.
/// </summary>
public sealed record MempoolOptions(int MaxTransactions = 200_000, long MaxBytes = 256L * 1024 * 1024, int MaxPerAccount = 1_000, int ReplacementFeeBumpPercent = 10,
    int MaxPendingOrdersPerAccount = 512, int MaxOrdersPerAccountPerBlock = 256);
