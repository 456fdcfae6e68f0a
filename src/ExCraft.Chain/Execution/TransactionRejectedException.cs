namespace ExCraft.Chain.Execution;

/// <summary>
/// A transaction that may not be included at all (wrong chain, nonce, fee below minimum, cannot
/// pay its fee). It is refused by the mempool and makes a block that carries it invalid.
/// </summary>
public sealed class TransactionRejectedException(RejectReason reason, string message) : Exception(message)
{
    public RejectReason Reason { get; } = reason;
}

public enum RejectReason
{
    Malformed,
    WrongChain,
    BadSignature,
    NonceTooLow,
    NonceTooHigh,
    FeeTooLow,
    InsufficientFunds,
    Duplicate,
    MempoolFull,
    TooLarge,
    UnknownAsset,
}

/// <summary>A transaction that was included but whose effects failed; it still pays its fee.</summary>
public sealed class TransactionFailedException(string message) : Exception(message);
