using System.Numerics;

namespace ExCraft.Swaps.Engine;

/// <summary>Where a lock stands on its chain.</summary>
public enum LockStatus { Open, Claimed, Refunded }

/// <summary>
/// A lock as read from its chain: what it pays, to whom, under which hash and timeout, how deep it
/// is, and how it ended (with the preimage when claimed). <see cref="Ref"/> identifies it on that
/// chain (native HTLC id, Ethereum swap id, Bitcoin funding outpoint).
/// </summary>
public sealed record ObservedLock(
    string Ref, string Asset, BigInteger Amount, string Recipient, string RefundAddress, byte[] HashLock, BigInteger Timeout,
    long Confirmations, LockStatus Status, byte[]? Preimage, string? SettleTransaction)
{
    /// <summary>
    /// Blocks on top of the claim or refund, counting its own (0 while it waits in a mempool). Legs
    /// that only ever report settlements from blocks leave the default.
    /// </summary>
    public long SettleConfirmations { get; init; } = 1;
}

/// <summary>
/// A claim or refund handed to its chain: the transaction id and what the leg needs to replace it
/// with a higher fee (<see cref="ISwapLeg.ReplaceAsync"/>): the signed transaction on Bitcoin, the
/// nonce, call and fees on Ethereum. <see cref="Replay"/> is null where the leg waits for inclusion
/// itself and has nothing to replace (ExCraft).
/// </summary>
public sealed record SentSettle(string Tx, string? Replay);

/// <summary>
/// A lock built but perhaps not yet broadcast: the engine logs it before sending so that a crash
/// between the two is resumed by sending the very same lock again, never a second one.
/// <see cref="Raw"/> is the signed transaction where the chain allows signing ahead (ExCraft,
/// Bitcoin, Ethereum ETH locks); a token lock on Ethereum is approved and sent at broadcast, and a
/// repeated one is refused by the contract (SwapExists).
/// </summary>
public sealed record PreparedLock(string Ref, string? Raw, string? Extra);

/// <summary>
/// One chain's side of a swap, for the engine. Timeouts and "now" are in the chain's clock (height
/// or unix seconds); <see cref="Remaining"/> turns a distance on that clock into wall time so the
/// engine can compare two chains' deadlines.
/// </summary>
public interface ISwapLeg
{
    string Chain { get; }

    /// <summary>The chain's clock: the head height, or the latest block's timestamp.</summary>
    Task<BigInteger> NowAsync(CancellationToken ct);

    /// <summary>Estimated wall time until a refund of a lock with this timeout becomes possible.</summary>
    TimeSpan Remaining(BigInteger now, BigInteger timeout);

    /// <summary>Whether a refund can be included in the next block (and a claim no longer).</summary>
    bool RefundOpen(BigInteger now, BigInteger timeout);

    Task<PreparedLock> PrepareLockAsync(LegTerms terms, byte[] hashLock, CancellationToken ct);

    /// <summary>
    /// Sends the prepared lock; sending one already on chain is harmless. Returns the node's reason
    /// when it refused it (the engine reads the chain to know whether the lock landed), else null.
    /// </summary>
    Task<string?> BroadcastLockAsync(PreparedLock prepared, LegTerms terms, byte[] hashLock, CancellationToken ct);

    /// <summary>The lock by its reference, or null while it is not on chain.</summary>
    Task<ObservedLock?> GetLockAsync(string lockRef, LegTerms terms, byte[] hashLock, CancellationToken ct);

    /// <summary>Locks on chain paying <c>expected.Recipient</c> and refundable to <c>expected.RefundAddress</c>, whatever their other terms (the audit judges them).</summary>
    Task<IReadOnlyList<ObservedLock>> FindLocksAsync(LegTerms expected, byte[] hashLock, CancellationToken ct);

    /// <summary>The data of a refund of this lock, ready as soon as the lock confirms (a signed transaction on Bitcoin).</summary>
    Task<string> PrepareRefundAsync(ObservedLock observed, CancellationToken ct);

    /// <summary>Claims with the 32-byte secret; returns the transaction id once included.</summary>
    Task<string> ClaimAsync(ObservedLock observed, byte[] preimage, CancellationToken ct);

    /// <summary>Refunds (after the timeout); returns the transaction id once included.</summary>
    Task<string> RefundAsync(ObservedLock observed, string preparedRefund, CancellationToken ct);

    /// <summary>
    /// Signs a claim without sending it, so that the engine logs it first and then hands it to
    /// <see cref="BroadcastSettleAsync"/>: a crash in between is resumed by sending this very
    /// transaction again. A leg that has nothing to replace (ExCraft) claims and waits for the
    /// block here and returns no <see cref="SentSettle.Replay"/>.
    /// </summary>
    async Task<SentSettle> SignClaimAsync(ObservedLock observed, byte[] preimage, CancellationToken ct) =>
        new(await ClaimAsync(observed, preimage, ct), null);

    /// <summary>Signs a refund without sending it (see <see cref="SignClaimAsync"/>).</summary>
    async Task<SentSettle> SignRefundAsync(ObservedLock observed, string preparedRefund, CancellationToken ct) =>
        new(await RefundAsync(observed, preparedRefund, ct), null);

    /// <summary>
    /// Hands a logged claim, refund or replacement to the chain. A node that refuses it (already
    /// known, already mined, spent by another logged version) is not an error: the engine reads the
    /// chain to know which version counts, and replaces the last one if none is mined in time.
    /// Returns the node's reason when it refused, null when it took the transaction.
    /// </summary>
    Task<string?> BroadcastSettleAsync(SentSettle signed, CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>
    /// Signs a replacement of an unmined claim or refund of <paramref name="observed"/>: the same
    /// spend at a higher fee, within the caps of <paramref name="options"/>; null when the cap
    /// leaves no room for a higher fee the chain's nodes would accept as a replacement. The engine
    /// logs it, then broadcasts it.
    /// </summary>
    Task<SentSettle?> ReplaceAsync(ObservedLock observed, SentSettle stuck, SwapEngineOptions options, CancellationToken ct) =>
        Task.FromResult<SentSettle?>(null);

    /// <summary>
    /// Signs a replacement of a logged lock that is not on chain yet: the same lock (same reference)
    /// at a higher fee within the caps, such that at most one of the versions can ever be mined;
    /// null where the leg cannot (the lock is then only sent again as it is).
    /// </summary>
    Task<PreparedLock?> ReplaceLockAsync(PreparedLock stuck, SwapEngineOptions options, CancellationToken ct) =>
        Task.FromResult<PreparedLock?>(null);

    /// <summary>
    /// Whether the chain refuses a lock once <see cref="RefundOpen"/> holds for its timeout (the
    /// native HTLC and the Ethereum contract do), so that a logged lock still not on chain then can
    /// never land and the swap is over with nothing locked. Bitcoin cannot promise it: a funding
    /// stays valid after its HTLC's timeout.
    /// </summary>
    bool LateLockRefused => true;
}
