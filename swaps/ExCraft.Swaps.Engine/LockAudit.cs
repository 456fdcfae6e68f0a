namespace ExCraft.Swaps.Engine;

/// <summary>
/// Checks a counterparty's lock against the agreed leg before anything is done because of it:
/// asset, amount (at least the agreed one), hash, recipient, refund address, timeout (not earlier
/// than agreed), and the timeout margins in wall time. Confirmations are not a refusal: a lock that
/// is right but shallow is simply waited for.
/// </summary>
public static class LockAudit
{
    /// <param name="ownRemaining">Wall time until this side's own leg can be refunded (its T1 or T2).</param>
    /// <param name="counterRemaining">Wall time until the counterparty's lock can be refunded.</param>
    public static IReadOnlyList<string> Check(
        ObservedLock observed, LegTerms expected, byte[] hashLock, SwapRole role, TimeSpan ownRemaining, TimeSpan counterRemaining, SwapEngineOptions options)
    {
        var reasons = new List<string>();
        if (!string.Equals(observed.Asset, expected.Asset, StringComparison.OrdinalIgnoreCase))
            reasons.Add($"asset {observed.Asset}, agreed {expected.Asset}");
        if (observed.Amount < expected.Amount)
            reasons.Add($"amount {observed.Amount}, agreed {expected.Amount}");
        if (!observed.HashLock.AsSpan().SequenceEqual(hashLock))
            reasons.Add($"hash lock {Json.Hex(observed.HashLock)}, agreed {Json.Hex(hashLock)}");
        if (!string.Equals(observed.Recipient, expected.Recipient, StringComparison.OrdinalIgnoreCase))
            reasons.Add($"recipient {observed.Recipient}, agreed {expected.Recipient}");
        if (!string.Equals(observed.RefundAddress, expected.RefundAddress, StringComparison.OrdinalIgnoreCase))
            reasons.Add($"refund address {observed.RefundAddress}, agreed {expected.RefundAddress}");
        if (observed.Timeout < expected.Timeout)
            reasons.Add($"timeout {observed.Timeout}, agreed at least {expected.Timeout}");
        if (observed.Status != LockStatus.Open)
            reasons.Add($"already {observed.Status.ToString().ToLowerInvariant()}");

        // The initiator's T1 must outlast the participant's T2 by the margin, so that a secret revealed
        // just before T2 still leaves the participant time to claim on the initiator's chain.
        var (t1, t2) = role == SwapRole.Initiator ? (ownRemaining, counterRemaining) : (counterRemaining, ownRemaining);
        if (t1 - t2 < options.SafetyMargin)
            reasons.Add($"timeout margin {Seconds(t1 - t2)} s between the legs, required {Seconds(options.SafetyMargin)} s");
        if (counterRemaining < options.MinClaimWindow)
            reasons.Add($"only {Seconds(counterRemaining)} s before the lock times out, required {Seconds(options.MinClaimWindow)} s");
        return reasons;
    }

    private static long Seconds(TimeSpan t) => (long)Math.Floor(t.TotalSeconds);
}
