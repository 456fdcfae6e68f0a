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
