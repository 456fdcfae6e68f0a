using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// A signed EIP-1559 transaction handed to the node: enough to watch it and to send a
/// replacement (same nonce, same call, higher fees) if it sits unmined. <see cref="Raw"/> is the
/// signed transaction itself, kept so that it can be logged before it is broadcast and sent again
/// (same hash) after a crash.
/// </summary>
public sealed record SentTransaction(
    string Hash,
    string From,
    string? To,
    BigInteger Nonce,
    BigInteger Value,
    byte[] Data,
    BigInteger GasLimit,
    Eip1559Fees Fees,
    string? Raw = null);
