using System.Numerics;
using ExCraft.Swaps.Ethereum;
using Nethereum.Contracts;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>ERC20 swaps on a real anvil with a standard token, one that returns nothing and one that takes a fee.</summary>
public sealed class TokenSwapTests(SwapChain chain) : IClassFixture<SwapChain>
{
    private static readonly BigInteger Amount = 250 * SwapChain.TokenUnit;

    [Theory]
    [InlineData(TestToken.Standard)]
    [InlineData(TestToken.NoReturn)]
    public async Task Lock_then_claim_moves_the_tokens_to_the_claim_address(string tokenName)
    {
        var token = chain.Token(tokenName);
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, token.TokenAddress);
        var aliceBefore = await token.BalanceOfAsync(chain.Alice.Address);
        var bobBefore = await token.BalanceOfAsync(chain.Bob.Address);
        var contractBefore = await token.BalanceOfAsync(chain.Htlc.ContractAddress);

        var locked = await chain.Htlc.LockTokenAsync(chain.Alice, terms);
        TermsAssert.Same(terms, locked.Terms);
        Assert.Equal(aliceBefore - Amount, await token.BalanceOfAsync(chain.Alice.Address));
        Assert.Equal(contractBefore + Amount, await token.BalanceOfAsync(chain.Htlc.ContractAddress));

        await Refusals.AssertRefusedAsync(chain, chain.Carol, "SwapNotFound", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, chain.NewSecret(), gas));
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "TimeoutNotReached", gas => chain.Htlc.RefundAsync(chain.Carol, terms, gas));
        Assert.Equal(bobBefore, await token.BalanceOfAsync(chain.Bob.Address));

        await chain.Htlc.ClaimAsync(chain.Bob, terms, secret);
        Assert.Equal(bobBefore + Amount, await token.BalanceOfAsync(chain.Bob.Address));
        Assert.Equal(contractBefore, await token.BalanceOfAsync(chain.Htlc.ContractAddress));
        Assert.False(await chain.Htlc.IsOpenAsync(locked.SwapId));
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "SwapNotFound", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, secret, gas));
        Assert.Equal(bobBefore + Amount, await token.BalanceOfAsync(chain.Bob.Address));
    }

    [Theory]
    [InlineData(TestToken.Standard)]
    [InlineData(TestToken.NoReturn)]
    public async Task Refund_after_the_timeout_returns_the_tokens(string tokenName)
    {
        var token = chain.Token(tokenName);
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, token.TokenAddress);
        var aliceBefore = await token.BalanceOfAsync(chain.Alice.Address);
        var contractBefore = await token.BalanceOfAsync(chain.Htlc.ContractAddress);
        var locked = await chain.Htlc.LockTokenAsync(chain.Alice, terms);

        await chain.Node.MineAsync(terms.Timeout);
        await Refusals.AssertRefusedAsync(chain, chain.Bob, "TimeoutPassed", gas => chain.Htlc.ClaimAsync(chain.Bob, terms, secret, gas));
        await chain.Htlc.RefundAsync(chain.Alice, terms);

        Assert.Equal(aliceBefore, await token.BalanceOfAsync(chain.Alice.Address));
        Assert.Equal(contractBefore, await token.BalanceOfAsync(chain.Htlc.ContractAddress));
        Assert.False(await chain.Htlc.IsOpenAsync(locked.SwapId));
    }

    [Fact]
    public async Task A_fee_on_transfer_token_is_recorded_at_the_amount_actually_received()
    {
        var token = chain.Token(TestToken.FeeOnTransfer);
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, token.TokenAddress);
        var bobBefore = await token.BalanceOfAsync(chain.Bob.Address);

        var locked = await chain.Htlc.LockTokenAsync(chain.Alice, terms);
        var received = Amount - Amount / 100; // the token burns 1%
        Assert.Equal(received, locked.Terms.Amount);
        Assert.Equal(received, await token.BalanceOfAsync(chain.Htlc.ContractAddress));

        // The nominal amount names no swap; the recorded one claims (less the token's own fee on the way out).
        await Refusals.AssertRefusedAsync(chain, chain.Carol, "SwapNotFound", gas => chain.Htlc.ClaimAsync(chain.Carol, terms, secret, gas));
        await chain.Htlc.ClaimAsync(chain.Carol, locked.Terms, secret);
        Assert.Equal(bobBefore + received - received / 100, await token.BalanceOfAsync(chain.Bob.Address));
        Assert.Equal(0, await token.BalanceOfAsync(chain.Htlc.ContractAddress));
    }

    [Fact]
    public async Task A_lock_without_enough_allowance_or_of_a_non_contract_is_refused()
    {
        var token = chain.Token(TestToken.NoReturn);
        var terms = await chain.TermsAsync(chain.NewSecret(), Amount, token.TokenAddress);
        var aliceBefore = await token.BalanceOfAsync(chain.Alice.Address);
        // No approve first: the token's transferFrom reverts and the HTLC reports TransferFailed.
        var lockCall = new LockTokenFunction
        {
            HashLock = terms.HashLock, Token = terms.Token, Amount = terms.Amount,
            ClaimAddress = terms.ClaimAddress, RefundAddress = terms.RefundAddress, Timeout = terms.Timeout,
        };
        await Refusals.AssertRefusedAsync(chain, chain.Alice, "TransferFailed", async gas =>
        {
            var sent = await chain.Alice.SendAsync(chain.Htlc.ContractAddress, 0, lockCall.GetCallData(), gas);
            await chain.Alice.WaitForReceiptAsync(sent.Hash, HtlcClient.DefaultReceiptTimeout);
        });
        Assert.Equal(aliceBefore, await token.BalanceOfAsync(chain.Alice.Address));

        lockCall.Token = chain.Bob.Address; // an account without code is not a token
        await Refusals.AssertRefusedAsync(chain, chain.Alice, "NotAToken", async gas =>
        {
            var sent = await chain.Alice.SendAsync(chain.Htlc.ContractAddress, 0, lockCall.GetCallData(), gas);
            await chain.Alice.WaitForReceiptAsync(sent.Hash, HtlcClient.DefaultReceiptTimeout);
        });
    }
}
