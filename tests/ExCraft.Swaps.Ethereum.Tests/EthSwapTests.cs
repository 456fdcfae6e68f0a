using System.Numerics;
using ExCraft.Swaps.Ethereum;
using Nethereum.Contracts;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>ETH swaps on a real anvil: lock, claim, refund and every refusal, checked by balances.</summary>
public sealed class EthSwapTests(SwapChain chain) : IClassFixture<SwapChain>
{
    private static readonly BigInteger Amount = 3 * SwapChain.Ether / 2;

    [Fact]
    public async Task Lock_then_claim_pays_the_claim_address_and_reveals_the_secret()
    {
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, SwapTerms.Eth);
        var watcher = new HtlcWatcher(chain.Node.Web3, chain.Htlc.ContractAddress, await chain.Node.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync());
        var contractBefore = await chain.Node.BalanceAsync(chain.Htlc.ContractAddress);
        var bobBefore = await chain.Node.BalanceAsync(chain.Bob.Address);

        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        TermsAssert.Same(terms, locked.Terms);
        Assert.Equal(terms.SwapId(), locked.SwapId);
        Assert.Equal(terms.SwapId(), await chain.Htlc.SwapIdOfAsync(terms));
        Assert.True(await chain.Htlc.IsOpenAsync(locked.SwapId));
        Assert.Equal(contractBefore + Amount, await chain.Node.BalanceAsync(chain.Htlc.ContractAddress));

        // Carol relays the claim, so Bob's balance grows by exactly the amount (he pays no gas).
        await chain.Htlc.ClaimAsync(chain.Carol, terms, secret);
        Assert.Equal(bobBefore + Amount, await chain.Node.BalanceAsync(chain.Bob.Address));
        Assert.Equal(contractBefore, await chain.Node.BalanceAsync(chain.Htlc.ContractAddress));
        Assert.False(await chain.Htlc.IsOpenAsync(locked.SwapId));

        var events = await watcher.PollAsync();
        Assert.Collection(events,
            e => Assert.Equal(locked.SwapId, Assert.IsType<HtlcLocked>(e).SwapId),
            e => Assert.Equal(secret, Assert.IsType<HtlcClaimed>(e).Preimage));
        Assert.Equal(secret, HtlcWatcher.FindPreimage(events, terms.HashLock));
        Assert.Empty(await watcher.PollAsync());
    }

    [Fact]
    public async Task Refund_after_the_timeout_pays_the_refund_address()
    {
        var terms = await chain.TermsAsync(chain.NewSecret(), Amount, SwapTerms.Eth);
        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var aliceBefore = await chain.Node.BalanceAsync(chain.Alice.Address);
        var contractBefore = await chain.Node.BalanceAsync(chain.Htlc.ContractAddress);
        var watcher = new HtlcWatcher(chain.Node.Web3, chain.Htlc.ContractAddress, locked.Receipt.BlockNumber.Value);

        await chain.Node.MineAsync(terms.Timeout); // the first block at which refund is allowed
        await chain.Htlc.RefundAsync(chain.Carol, terms);

        Assert.Equal(aliceBefore + Amount, await chain.Node.BalanceAsync(chain.Alice.Address));
        Assert.Equal(contractBefore - Amount, await chain.Node.BalanceAsync(chain.Htlc.ContractAddress));
        Assert.False(await chain.Htlc.IsOpenAsync(locked.SwapId));
        var events = await watcher.PollAsync();
        Assert.IsType<HtlcLocked>(events[0]);
        Assert.Equal(locked.SwapId, Assert.IsType<HtlcRefunded>(events[1]).SwapId);
        Assert.Null(HtlcWatcher.FindPreimage(events, terms.HashLock));
    }

    [Fact]
    public async Task Claims_and_refunds_out_of_their_window_or_with_a_bad_preimage_are_refused()
    {
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, SwapTerms.Eth);
        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var bobBefore = await chain.Node.BalanceAsync(chain.Bob.Address);
        var aliceBefore = await chain.Node.BalanceAsync(chain.Alice.Address);
        var contractBefore = await chain.Node.BalanceAsync(chain.Htlc.ContractAddress);

        var wrong = chain.NewSecret();
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "SwapNotFound", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, wrong, gas));
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "PreimageLength", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, secret[..31], gas));
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "PreimageLength", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, [.. secret, 0], gas));
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "TimeoutNotReached", gas => chain.Htlc.RefundAsync(chain.Carol, terms, gas));
        Assert.Equal(bobBefore, await chain.Node.BalanceAsync(chain.Bob.Address));
        Assert.Equal(aliceBefore, await chain.Node.BalanceAsync(chain.Alice.Address));
        Assert.Equal(contractBefore, await chain.Node.BalanceAsync(chain.Htlc.ContractAddress));
        Assert.True(await chain.Htlc.IsOpenAsync(locked.SwapId));

        await chain.Node.MineAsync(terms.Timeout);
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "TimeoutPassed", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, secret, gas));
        Assert.Equal(bobBefore, await chain.Node.BalanceAsync(chain.Bob.Address));
        Assert.Equal(contractBefore, await chain.Node.BalanceAsync(chain.Htlc.ContractAddress));
        Assert.True(await chain.Htlc.IsOpenAsync(locked.SwapId));
    }

    [Fact]
    public async Task A_33_byte_preimage_is_refused_even_when_its_sha256_is_the_hash_lock()
    {
        // The secret is exactly 32 bytes on every chain: a longer one whose hash matches would let
        // a claim succeed here but never on Bitcoin, so the contract must refuse it.
        byte[] longSecret = [.. chain.NewSecret(), 7];
        var terms = await chain.TermsAsync(chain.NewSecret(), Amount, SwapTerms.Eth) with
        {
            HashLock = System.Security.Cryptography.SHA256.HashData(longSecret),
        };
        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var bobBefore = await chain.Node.BalanceAsync(chain.Bob.Address);
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "PreimageLength", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, longSecret, gas));
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "PreimageLength", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, longSecret[..31], gas));
        Assert.Equal(bobBefore, await chain.Node.BalanceAsync(chain.Bob.Address));
        Assert.True(await chain.Htlc.IsOpenAsync(locked.SwapId));
    }

    [Fact]
    public async Task A_swap_is_paid_once_double_claims_and_claim_after_refund_are_refused()
    {
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, SwapTerms.Eth);
        await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var bobBefore = await chain.Node.BalanceAsync(chain.Bob.Address);
        await chain.Htlc.ClaimAsync(chain.Carol, terms, secret);
        var contractAfterClaim = await chain.Node.BalanceAsync(chain.Htlc.ContractAddress);

        await Refusals.AssertRefusedAsync(chain, chain.Carol, "SwapNotFound", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, secret, gas));
        await chain.Node.MineAsync(terms.Timeout);
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "SwapNotFound", gas => chain.Htlc.RefundAsync(chain.Carol, terms, gas));
        Assert.Equal(bobBefore + Amount, await chain.Node.BalanceAsync(chain.Bob.Address));
        Assert.Equal(contractAfterClaim, await chain.Node.BalanceAsync(chain.Htlc.ContractAddress));

        // The other way round: refunded first, then neither refund nor claim pays again.
        var secret2 = chain.NewSecret();
        var terms2 = await chain.TermsAsync(secret2, Amount, SwapTerms.Eth);
        await chain.Htlc.LockEthAsync(chain.Alice, terms2);
        await chain.Node.MineAsync(terms2.Timeout);
        await chain.Htlc.RefundAsync(chain.Carol, terms2);
        var contractAfterRefund = await chain.Node.BalanceAsync(chain.Htlc.ContractAddress);
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "SwapNotFound", gas => chain.Htlc.RefundAsync(chain.Carol, terms2, gas));
        Assert.Equal(contractAfterRefund, await chain.Node.BalanceAsync(chain.Htlc.ContractAddress));
    }

    [Fact]
    public async Task Locks_with_bad_terms_are_refused()
    {
        var terms = await chain.TermsAsync(chain.NewSecret(), Amount, SwapTerms.Eth);
        await chain.Htlc.LockEthAsync(chain.Alice, terms);
        await Refusals.AssertRefusedAsync(chain, chain.Alice, "SwapExists", gas => SendLock(terms, gas));
        var past = terms with { HashLock = SwapTerms.HashOf(chain.NewSecret()), Timeout = await chain.Node.LatestTimestampAsync() };
        await Refusals.AssertRefusedAsync(chain, chain.Alice, "TimeoutInPast", gas => SendLock(past, gas));
        var zero = terms with { HashLock = SwapTerms.HashOf(chain.NewSecret()), Amount = 0 };
        await Refusals.AssertRefusedAsync(chain, chain.Alice, "ZeroAmount", gas => SendLock(zero, gas));
        Assert.Throws<ArgumentException>(() => zero.Validate()); // the driver refuses it before any call
    }

    [Fact]
    public async Task A_claim_pays_a_contract_wallet_that_needs_more_than_2300_gas()
    {
        var sent = await chain.Carol.SendAsync(null, 0, TestToken.Artifact("StoringReceiver").Bytecode);
        var wallet = (await chain.Carol.WaitForReceiptAsync(sent.Hash, HtlcClient.DefaultReceiptTimeout)).ContractAddress;
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, SwapTerms.Eth) with { ClaimAddress = wallet };
        await chain.Htlc.LockEthAsync(chain.Alice, terms);

        await chain.Htlc.ClaimAsync(chain.Carol, terms, secret);
        Assert.Equal(Amount, await chain.Node.BalanceAsync(wallet));
        var recorded = await chain.Node.Web3.Eth.GetStorageAt.SendRequestAsync(wallet, new Nethereum.Hex.HexTypes.HexBigInteger(0));
        Assert.Equal(Amount, new Nethereum.Hex.HexTypes.HexBigInteger(recorded).Value); // its receive() ran and wrote storage
    }

    private async Task SendLock(SwapTerms terms, BigInteger? gas)
    {
        var data = new LockFunction
        {
            HashLock = terms.HashLock, ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
        }.GetCallData();
        var sent = await chain.Alice.SendAsync(chain.Htlc.ContractAddress, terms.Amount, data, gas);
        await chain.Alice.WaitForReceiptAsync(sent.Hash, HtlcClient.DefaultReceiptTimeout);
    }
}
