using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace ExCraft.Swaps.Ethereum;

// Nethereum event DTOs for the contract's three events, decoded from eth_getLogs.

[Event("Locked")]
public sealed class LockedEventDto : IEventDTO
{
    [Parameter("bytes32", "swapId", 1, true)] public byte[] SwapId { get; set; } = [];
    [Parameter("bytes32", "hashLock", 2, true)] public byte[] HashLock { get; set; } = [];
    [Parameter("address", "claimAddress", 3, true)] public string ClaimAddress { get; set; } = "";
    [Parameter("address", "token", 4, false)] public string Token { get; set; } = "";
    [Parameter("uint256", "amount", 5, false)] public BigInteger Amount { get; set; }
    [Parameter("address", "refundAddress", 6, false)] public string RefundAddress { get; set; } = "";
    [Parameter("uint256", "timeout", 7, false)] public BigInteger Timeout { get; set; }
}

[Event("Claimed")]
public sealed class ClaimedEventDto : IEventDTO
{
    [Parameter("bytes32", "swapId", 1, true)] public byte[] SwapId { get; set; } = [];
    [Parameter("bytes32", "hashLock", 2, true)] public byte[] HashLock { get; set; } = [];
    [Parameter("bytes32", "preimage", 3, false)] public byte[] Preimage { get; set; } = [];
}

[Event("Refunded")]
public sealed class RefundedEventDto : IEventDTO
{
    [Parameter("bytes32", "swapId", 1, true)] public byte[] SwapId { get; set; } = [];
    [Parameter("bytes32", "hashLock", 2, true)] public byte[] HashLock { get; set; } = [];
}
