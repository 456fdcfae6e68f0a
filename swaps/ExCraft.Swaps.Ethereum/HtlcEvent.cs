using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>One event of the HTLC contract, with where it was logged (block, index, transaction).</summary>
public abstract record HtlcEvent(byte[] SwapId, byte[] HashLock, BigInteger BlockNumber, BigInteger LogIndex, string TransactionHash);

/// <summary>A swap was locked on these terms (the amount is what the contract received).</summary>
public sealed record HtlcLocked(byte[] SwapId, SwapTerms Terms, BigInteger BlockNumber, BigInteger LogIndex, string TransactionHash)
    : HtlcEvent(SwapId, Terms.HashLock, BlockNumber, LogIndex, TransactionHash);

/// <summary>A swap was claimed, revealing its 32-byte secret.</summary>
public sealed record HtlcClaimed(byte[] SwapId, byte[] HashLock, byte[] Preimage, BigInteger BlockNumber, BigInteger LogIndex, string TransactionHash)
    : HtlcEvent(SwapId, HashLock, BlockNumber, LogIndex, TransactionHash);

/// <summary>A swap was paid back to its refund address.</summary>
public sealed record HtlcRefunded(byte[] SwapId, byte[] HashLock, BigInteger BlockNumber, BigInteger LogIndex, string TransactionHash)
    : HtlcEvent(SwapId, HashLock, BlockNumber, LogIndex, TransactionHash);
