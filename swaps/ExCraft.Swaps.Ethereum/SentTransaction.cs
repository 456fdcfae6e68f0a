using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// A signed EIP-1559 transaction handed to the node: enough to watch it and to send a
/// replacement (same nonce, same call, higher fees) if it sits unmined.
/// </summary>
public sealed record SentTransaction(
    string Hash,
    string From,
    string? To,
    BigInteger Nonce,
    BigInteger Value,
    byte[] Data,
    BigInteger GasLimit,
    Eip1559Fees Fees);
