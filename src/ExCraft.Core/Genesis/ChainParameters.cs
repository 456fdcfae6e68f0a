namespace ExCraft.Core.Genesis;

/// <summary>Protocol parameters fixed in genesis (governance may change them in later issues).</summary>
public sealed record ChainParameters(
    ulong BlockIntervalMs,
    UInt128 MinFee,
    int MaxBlockTransactions,
    int MaxBlockBytes,
    int MaxTransactionBytes);
