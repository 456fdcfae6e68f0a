using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace ExCraft.Swaps.Ethereum;

// Nethereum function messages for ExCraftHtlc (swaps/contracts/ExCraftHtlc.sol). Their ABI
// encoding must match the compiled ABI; a test compares each selector with the artifact's.

[Function("lock", "bytes32")]
public sealed class LockFunction : FunctionMessage
{
    [Parameter("bytes32", "hashLock", 1)] public byte[] HashLock { get; set; } = [];
    [Parameter("address", "claimAddress", 2)] public string ClaimAddress { get; set; } = "";
    [Parameter("address", "refundAddress", 3)] public string RefundAddress { get; set; } = "";
    [Parameter("uint256", "timeout", 4)] public BigInteger Timeout { get; set; }
}

[Function("lockToken", "bytes32")]
public sealed class LockTokenFunction : FunctionMessage
{
    [Parameter("bytes32", "hashLock", 1)] public byte[] HashLock { get; set; } = [];
    [Parameter("address", "token", 2)] public string Token { get; set; } = "";
    [Parameter("uint256", "amount", 3)] public BigInteger Amount { get; set; }
    [Parameter("address", "claimAddress", 4)] public string ClaimAddress { get; set; } = "";
    [Parameter("address", "refundAddress", 5)] public string RefundAddress { get; set; } = "";
    [Parameter("uint256", "timeout", 6)] public BigInteger Timeout { get; set; }
}

/// <summary>
/// The parameters every call after a lock repeats: the contract stores a swap as the hash of its
/// terms, so claim, refund and swapIdOf each present them again, after their own first parameter.
/// </summary>
public abstract class SwapTermsFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
    [Parameter("address", "token", 3)] public string Token { get; set; } = "";
    [Parameter("address", "claimAddress", 4)] public string ClaimAddress { get; set; } = "";
    [Parameter("address", "refundAddress", 5)] public string RefundAddress { get; set; } = "";
    [Parameter("uint256", "timeout", 6)] public BigInteger Timeout { get; set; }
}

/// <summary>A call naming the swap by its hash lock and terms.</summary>
public abstract class HashLockedSwapFunction : SwapTermsFunction
{
    [Parameter("bytes32", "hashLock", 1)] public byte[] HashLock { get; set; } = [];
}

[Function("claim")]
public sealed class ClaimFunction : SwapTermsFunction
{
    [Parameter("bytes", "preimage", 1)] public byte[] Preimage { get; set; } = [];
}

[Function("refund")]
public sealed class RefundFunction : HashLockedSwapFunction;

[Function("swapIdOf", "bytes32")]
public sealed class SwapIdOfFunction : HashLockedSwapFunction;

[Function("swaps", "bool")]
public sealed class SwapsFunction : FunctionMessage
{
    [Parameter("bytes32", "", 1)] public byte[] SwapId { get; set; } = [];
}
