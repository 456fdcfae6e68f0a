using System.Numerics;
using ExCraft.Swaps.Ethereum;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>
/// Gas of each HTLC operation (the figures in docs/swaps.md), with ceilings that catch a change
/// making the contract noticeably dearer. Recipients already hold ETH and some of the token, as
/// a trader would, and the contract already holds the token from another open swap, as a busy
/// HTLC does, so no figure includes creating a new balance slot (that would add about 17,000).
/// </summary>
public sealed class GasTests(SwapChain chain, ITestOutputHelper output) : IClassFixture<SwapChain>
{
    [Fact]
    public async Task Lock_claim_and_refund_stay_within_their_gas_ceilings()
    {
        var token = chain.Tokens[TestToken.Standard];
        await TestToken.MintAsync(chain.Carol, token, chain.Bob.Address, 1);
        await chain.Htlc.LockTokenAsync(chain.Alice, await chain.TermsAsync(chain.NewSecret(), 1, token, timeoutSeconds: 86_400));

        var ethLock = await MeasureClaimAsync(SwapTerms.Eth);
        var ethRefund = await MeasureRefundAsync(SwapTerms.Eth);
        var tokenLock = await MeasureClaimAsync(token);
        var tokenRefund = await MeasureRefundAsync(token);

        Report("lock ETH", ethLock.Lock, 55_000);
        Report("claim ETH", ethLock.Settle, 40_000);
        Report("refund ETH", ethRefund, 38_000);
        Report("lock ERC20", tokenLock.Lock, 80_000);
        Report("claim ERC20", tokenLock.Settle, 52_000);
        Report("refund ERC20", tokenRefund, 50_000);
    }

    private void Report(string what, BigInteger gas, int ceiling)
    {
        output.WriteLine($"{what}: {gas} gas");
        Assert.InRange(gas, 21_000, ceiling);
    }

    private async Task<(BigInteger Lock, BigInteger Settle)> MeasureClaimAsync(string token)
    {
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, 10 * SwapChain.TokenUnit, token);
        var locked = terms.IsEth ? await chain.Htlc.LockEthAsync(chain.Alice, terms) : await chain.Htlc.LockTokenAsync(chain.Alice, terms);
        var claim = await chain.Htlc.ClaimAsync(chain.Bob, terms, secret);
        return (locked.Receipt.GasUsed.Value, claim.GasUsed.Value);
    }

    private async Task<BigInteger> MeasureRefundAsync(string token)
    {
        var terms = await chain.TermsAsync(chain.NewSecret(), 10 * SwapChain.TokenUnit, token);
        if (terms.IsEth) await chain.Htlc.LockEthAsync(chain.Alice, terms);
        else await chain.Htlc.LockTokenAsync(chain.Alice, terms);
        await chain.Node.MineAsync(terms.Timeout);
        return (await chain.Htlc.RefundAsync(chain.Alice, terms)).GasUsed.Value;
    }
}
