using ExCraft.Swaps.Ethereum;

namespace ExCraft.Swaps.Ethereum.Tests;

internal static class TermsAssert
{
    /// <summary>Same swap terms: bytes by value, addresses whatever their hex case.</summary>
    public static void Same(SwapTerms expected, SwapTerms actual)
    {
        Assert.Equal(expected.HashLock, actual.HashLock);
        Assert.Equal(expected.Amount, actual.Amount);
        Assert.Equal(expected.Token, actual.Token, ignoreCase: true);
        Assert.Equal(expected.ClaimAddress, actual.ClaimAddress, ignoreCase: true);
        Assert.Equal(expected.RefundAddress, actual.RefundAddress, ignoreCase: true);
        Assert.Equal(expected.Timeout, actual.Timeout);
    }
}
