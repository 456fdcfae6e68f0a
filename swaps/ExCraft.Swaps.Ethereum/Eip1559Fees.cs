using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>The two fee caps of an EIP-1559 transaction, in wei per gas.</summary>
public sealed record Eip1559Fees(BigInteger MaxPriorityFeePerGas, BigInteger MaxFeePerGas)
{
    /// <summary>Nodes replace a pending transaction only when both caps rise by at least 10%.</summary>
    public const int MinimumBumpPercent = 10;

    /// <summary>Room for the base fee to double before the transaction stops being includable.</summary>
    public static Eip1559Fees ForBaseFee(BigInteger baseFee, BigInteger tip) => new(tip, baseFee * 2 + tip);

    /// <summary>Both caps raised by <paramref name="percent"/> (at least 10), rounded up.</summary>
    public Eip1559Fees Bumped(int percent)
    {
        if (percent < MinimumBumpPercent)
            throw new ArgumentOutOfRangeException(nameof(percent), $"a replacement must raise the fees by at least {MinimumBumpPercent}%");
        return new Eip1559Fees(Raise(MaxPriorityFeePerGas, percent), Raise(MaxFeePerGas, percent));
    }

    private static BigInteger Raise(BigInteger value, int percent) =>
        BigInteger.Max(value + 1, (value * (100 + percent) + 99) / 100);
}
