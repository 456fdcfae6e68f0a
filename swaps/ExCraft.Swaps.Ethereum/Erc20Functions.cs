using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace ExCraft.Swaps.Ethereum;

// The ERC20 calls the driver makes. approve's result is not declared: tokens such as USDT
// return nothing, and the receipt's status is what tells success.

[Function("approve")]
public sealed class Erc20ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)] public string Spender { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
}

[Function("balanceOf", "uint256")]
public sealed class Erc20BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)] public string Owner { get; set; } = "";
}
