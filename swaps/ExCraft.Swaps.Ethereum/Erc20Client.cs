using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Web3;

namespace ExCraft.Swaps.Ethereum;

/// <summary>The two ERC20 calls a swap needs: approve the HTLC and read balances.</summary>
public sealed class Erc20Client(IWeb3 web3, string tokenAddress)
{
    public string TokenAddress { get; } = tokenAddress;

    public async Task ApproveAsync(TransactionSender owner, string spender, BigInteger amount, CancellationToken ct = default)
    {
        var data = new Erc20ApproveFunction { Spender = spender, Amount = amount }.GetCallData();
        var sent = await owner.SendAsync(TokenAddress, 0, data, ct: ct);
        await owner.WaitForReceiptAsync(sent.Hash, HtlcClient.DefaultReceiptTimeout, ct);
    }

    public Task<BigInteger> BalanceOfAsync(string owner) =>
        web3.Eth.GetContractQueryHandler<Erc20BalanceOfFunction>()
            .QueryAsync<BigInteger>(TokenAddress, new Erc20BalanceOfFunction { Owner = owner });
}
