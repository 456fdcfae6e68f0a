namespace ExCraft.Swaps.Engine;

/// <summary>How cautious and how quick the engine is. Defaults suit real chains; tests shorten them.</summary>
public sealed record SwapEngineOptions
{
    /// <summary>T1 must outlast T2 by at least this much wall time (checked when auditing).</summary>
    public TimeSpan SafetyMargin { get; init; } = TimeSpan.FromHours(6);

    /// <summary>A lock with less time than this before its timeout is not acted on (not audited as good, not claimed, not locked against).</summary>
    public TimeSpan MinClaimWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often <see cref="SwapEngine.RunAsync"/> looks at the chains.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A claim or refund this side sent that is still unmined after this much of its chain's clock
    /// (blocks times the leg's block interval on Bitcoin, block timestamps on Ethereum) is replaced
    /// with a higher fee; the replacement is given the same time again, and so on up to the caps.
    /// </summary>
    public TimeSpan FeeBumpAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The highest fee rate a Bitcoin replacement may pay, in satoshis per virtual byte.</summary>
    public long MaxBitcoinFeeRate { get; init; } = 500;

    /// <summary>The highest max-fee-per-gas an Ethereum replacement may offer, in wei (default 500 gwei).</summary>
    public System.Numerics.BigInteger MaxEthereumFeePerGas { get; init; } = 500_000_000_000;

    /// <summary>Called after every appended event (progress output; tests use it to simulate a crash at a given step).</summary>
    public Action<SwapEvent>? OnEvent { get; init; }

    /// <summary>
    /// What an operator may want to see that changes nothing in the log: a node refusing a logged
    /// claim, refund or replacement (normal after a crash or next to a replacement; a persistent
    /// one is worth a look). One line each, naming the swap, the chain and the transaction.
    /// </summary>
    public Action<string>? OnNotice { get; init; }
}
