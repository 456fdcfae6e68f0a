using System.Numerics;
using ExCraft.Swaps.Ethereum;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>Fee arithmetic and term validation, without a node.</summary>
public sealed class FeeAndTermsTests
{
    [Fact]
    public void Fee_caps_leave_room_for_the_base_fee_to_double_and_bumps_round_up()
    {
        var fees = Eip1559Fees.ForBaseFee(baseFee: 7, tip: 3);
        Assert.Equal(new Eip1559Fees(3, 17), fees);
        Assert.Equal(new Eip1559Fees(4, 19), fees.Bumped(10)); // 3.3 -> 4, 18.7 -> 19
        Assert.Equal(new Eip1559Fees(2, 2), new Eip1559Fees(1, 1).Bumped(10)); // always at least +1
        Assert.Throws<ArgumentOutOfRangeException>(() => fees.Bumped(9));
    }

    [Fact]
    public void Terms_the_contract_could_never_hold_are_refused_before_any_call()
    {
        var good = new SwapTerms(new byte[32], 5, SwapTerms.Eth,
            "0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222", 1_900_000_000);
        good.Validate();
        Assert.True(good.IsEth);
        Assert.Throws<ArgumentException>(() => (good with { HashLock = new byte[31] }).Validate());
        Assert.Throws<ArgumentException>(() => (good with { Amount = BigInteger.Zero }).Validate());
        Assert.Throws<ArgumentException>(() => (good with { Timeout = 0 }).Validate());
        Assert.Throws<ArgumentException>(() => (good with { ClaimAddress = "0x1234" }).Validate());
        Assert.Throws<ArgumentException>(() => SwapTerms.HashOf(new byte[33]));
        // sha256 of 32 zero bytes, a published test vector.
        Assert.Equal("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925",
            Convert.ToHexStringLower(SwapTerms.HashOf(new byte[32])));
    }
}
