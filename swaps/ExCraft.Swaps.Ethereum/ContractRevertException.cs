namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// A contract call the node refused: <see cref="ErrorName"/> is the Solidity custom error
/// (for example "PreimageLength"), or the reason of a require, or "unknown".
/// </summary>
public sealed class ContractRevertException(string errorName, string detail)
    : Exception($"the contract call reverts: {errorName} ({detail})")
{
    public string ErrorName { get; } = errorName;
}

/// <summary>A transaction that was mined but failed (receipt status 0). Its gas was still paid.</summary>
public sealed class TransactionFailedException(string hash, Nethereum.RPC.Eth.DTOs.TransactionReceipt receipt)
    : Exception($"transaction {hash} was mined in block {receipt.BlockNumber?.Value} but failed (status 0)")
{
    public Nethereum.RPC.Eth.DTOs.TransactionReceipt Receipt { get; } = receipt;
}
