using System.Numerics;
using ExCraft.Swaps.Ethereum;
using Nethereum.RPC.Eth.DTOs;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>
/// Asserts that a contract call is refused twice over: the driver's gas estimate names the
/// contract's error and sends nothing; forced on chain with a fixed gas limit, the transaction
/// fails and the sender pays exactly its gas and nothing else.
/// </summary>
internal static class Refusals
{
    private static readonly BigInteger ForcedGas = 300_000;

    public static async Task AssertRefusedAsync(
        SwapChain chain, TransactionSender sender, string expectedError, Func<BigInteger?, Task> send)
    {
        var nonceBefore = await PendingNonceAsync(chain, sender);
        var refused = await Assert.ThrowsAsync<ContractRevertException>(() => send(null));
        Assert.Equal(expectedError, refused.ErrorName);
        Assert.Equal(nonceBefore, await PendingNonceAsync(chain, sender)); // nothing was sent

        var balanceBefore = await chain.Node.BalanceAsync(sender.Address);
        var failed = await Assert.ThrowsAsync<TransactionFailedException>(() => send(ForcedGas));
        var receipt = failed.Receipt;
        Assert.Equal(0, (int)receipt.Status.Value);
        Assert.Empty(receipt.Logs);
        var fee = receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value;
        Assert.Equal(balanceBefore - fee, await chain.Node.BalanceAsync(sender.Address));
    }

    private static async Task<BigInteger> PendingNonceAsync(SwapChain chain, TransactionSender sender) =>
        (await chain.Node.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(sender.Address, BlockParameter.CreatePending())).Value;
}
