namespace ExCraft.Chain.Mempool;

/// <summary>Bounds of the mempool; a replacement for a pending nonce must raise the fee by ReplacementFeeBumpPercent.</summary>
public sealed record MempoolOptions(int MaxTransactions = 200_000, long MaxBytes = 256L * 1024 * 1024, int MaxPerAccount = 1_000, int ReplacementFeeBumpPercent = 10);
