using System.Numerics;
using ExCraft.Swaps.Ethereum;
using Nethereum.RPC.Eth.DTOs;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>
/// Transaction handling with anvil's automatic mining off, so transactions wait in its pool:
/// a stuck claim replaced with a higher fee, and nonces from one manager per address.
/// </summary>
public sealed class ReplacementTests(SwapChain chain) : IClassFixture<SwapChain>
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_stuck_claim_replaced_with_a_higher_fee_is_the_one_mined()
    {
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, SwapChain.Ether, SwapTerms.Eth);
        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var bobBefore = await chain.Node.BalanceAsync(chain.Bob.Address);

        await chain.Node.SetAutomineAsync(false);
        try
        {
            var fees = await chain.Bob.SuggestFeesAsync();
            var stuck = await chain.Htlc.SendClaimAsync(chain.Bob, terms, secret, fees: fees);
            Assert.Null(await TransactionSender.TryWaitForReceiptAsync(chain.Node.Web3, stuck.Hash, Short));

            var replacement = await chain.Bob.ReplaceAsync(stuck, bumpPercent: 25);
            Assert.Equal(stuck.Nonce, replacement.Nonce);
            Assert.NotEqual(stuck.Hash, replacement.Hash);
            Assert.True(replacement.Fees.MaxFeePerGas >= stuck.Fees.MaxFeePerGas * 125 / 100);
            Assert.True(replacement.Fees.MaxPriorityFeePerGas >= stuck.Fees.MaxPriorityFeePerGas * 125 / 100);
            // A replacement that does not raise the fees enough is refused before it is signed.
            Assert.Throws<ArgumentOutOfRangeException>(() => stuck.Fees.Bumped(5));

            await chain.Node.MineAsync();
            var receipt = await chain.Bob.WaitForReceiptAsync(replacement.Hash, HtlcClient.DefaultReceiptTimeout);
            Assert.Null(await chain.Node.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(stuck.Hash));
            Assert.Equal(replacement.Fees.MaxPriorityFeePerGas + (await BaseFeeAsync(receipt.BlockNumber.Value)), receipt.EffectiveGasPrice.Value);
            var fee = receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value;
            Assert.Equal(bobBefore + SwapChain.Ether - fee, await chain.Node.BalanceAsync(chain.Bob.Address));
            Assert.False(await chain.Htlc.IsOpenAsync(locked.SwapId));
        }
        finally
        {
            await chain.Node.SetAutomineAsync(true);
        }
    }

    [Fact]
    public async Task Parallel_sends_from_one_address_get_consecutive_nonces()
    {
        var sender = await chain.SenderAsync("nonces");
        var second = await TransactionSender.CreateAsync(chain.Node.Web3, SwapChain.KeyFor("nonces"), chain.Nonces, HtlcClient.Errors);
        var start = (await chain.Node.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(sender.Address, BlockParameter.CreatePending())).Value;
        await chain.Node.SetAutomineAsync(false);
        try
        {
            // Two senders of the same key, eight sends at once: the shared manager serialises them.
            var sends = Enumerable.Range(0, 8)
                .Select(i => (i % 2 == 0 ? sender : second).SendAsync(chain.Carol.Address, 1000 + i, [], gasLimit: 21_000))
                .ToArray();
            var sent = await Task.WhenAll(sends);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => start + i).ToArray(), sent.Select(s => s.Nonce).Order().ToArray());
            await chain.Node.MineAsync();
            foreach (var s in sent)
                Assert.Equal(1, (int)(await sender.WaitForReceiptAsync(s.Hash, HtlcClient.DefaultReceiptTimeout)).Status.Value);
        }
        finally
        {
            await chain.Node.SetAutomineAsync(true);
        }
    }

    [Fact]
    public async Task A_send_the_node_rejects_leaves_no_nonce_gap()
    {
        var sender = await chain.SenderAsync("rejected");
        var first = await sender.SendAsync(chain.Bob.Address, 1, [], gasLimit: 21_000);
        // Below the 21,000 intrinsic gas: the node refuses it outright, so its nonce must be reused.
        await Assert.ThrowsAsync<Nethereum.JsonRpc.Client.RpcResponseException>(() => sender.SendAsync(chain.Bob.Address, 1, [], gasLimit: 20_000));
        var next = await sender.SendAsync(chain.Bob.Address, 1, [], gasLimit: 21_000);
        Assert.Equal(first.Nonce + 1, next.Nonce);
        Assert.Equal(1, (int)(await sender.WaitForReceiptAsync(next.Hash, HtlcClient.DefaultReceiptTimeout)).Status.Value);
    }

    [Fact]
    public async Task Transactions_are_eip1559_and_signed_for_the_chain_id()
    {
        var sent = await chain.Carol.SendAsync(chain.Bob.Address, 12345, [], gasLimit: 21_000);
        var tx = await chain.Node.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(sent.Hash);
        Assert.Equal(2, (int)tx.Type.Value);
        // Nethereum's transaction DTO has no chainId field: read it from the node's JSON.
        var json = await chain.Node.Web3.Client.SendRequestAsync<Newtonsoft.Json.Linq.JObject>("eth_getTransactionByHash", null, sent.Hash);
        Assert.Equal(AnvilNode.ChainId, Convert.ToInt32((string)json["chainId"]!, 16));
        Assert.Equal(sent.Fees.MaxFeePerGas, tx.MaxFeePerGas.Value);
        Assert.Equal(sent.Fees.MaxPriorityFeePerGas, tx.MaxPriorityFeePerGas.Value);
        Assert.Equal(chain.Carol.Address, tx.From, ignoreCase: true);
    }

    private async Task<BigInteger> BaseFeeAsync(BigInteger block) =>
        (await chain.Node.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new Nethereum.Hex.HexTypes.HexBigInteger(block))).BaseFeePerGas.Value;
}
