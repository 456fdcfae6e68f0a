using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine;

/// <summary>
/// Drives one side of one swap to its end. Every step reads the swap's log and both chains, does at
/// most what is due (lock, audit, claim, refund), and appends what happened before anything else
/// depends on it. The engine keeps nothing in memory between steps, so a new engine opened on the
/// same log after a crash carries on from the chains' real state (docs/swaps-engine.md).
/// </summary>
public sealed class SwapEngine
{
    private readonly SwapStore store;
    private readonly ISwapLeg own;
    private readonly ISwapLeg counter;
    private readonly SwapEngineOptions options;
    // Logged claims and refunds this engine has broadcast itself. The only memory kept between
    // steps, and only to avoid resending: a new engine after a crash resends the last logged one once.
    private readonly HashSet<string> broadcast = new(StringComparer.OrdinalIgnoreCase);

    private SwapEngine(SwapStore store, string id, SwapState state, SwapLegs legs, SwapEngineOptions options)
    {
        this.store = store;
        Id = id;
        this.options = options;
        own = legs.For(state.OwnLeg.Chain);
        counter = legs.For(state.CounterLeg.Chain);
    }

    public string Id { get; }

    /// <summary>The swap as its log has it now.</summary>
    public SwapState State => SwapState.Fold(store.Read(Id));

    /// <summary>
    /// Starts a swap on agreed terms: the entry point for the CLI and for an offer taken on chain.
    /// The initiator passes its 32-byte secret (whose SHA-256 is the agreed hash lock); the participant passes none.
    /// </summary>
    public static SwapEngine Create(SwapStore store, SwapAgreement agreement, SwapRole role, byte[]? secret, SwapLegs legs, SwapEngineOptions options)
    {
        agreement.Validate();
        if (role == SwapRole.Initiator)
        {
            if (secret is not { Length: 32 }) throw new ArgumentException("the initiator needs its 32-byte secret");
            if (!SHA256.HashData(secret).AsSpan().SequenceEqual(agreement.HashLock)) throw new ArgumentException("the secret does not hash to the agreed hash lock");
        }
        else if (secret != null)
        {
            throw new ArgumentException("the participant does not know the secret");
        }
        legs.For(agreement.InitiatorLeg.Chain);
        legs.For(agreement.ParticipantLeg.Chain);
        if (store.Exists(agreement.Id)) throw new InvalidOperationException($"swap {agreement.Id} already exists in {store.Directory}");
        var data = new JsonObject { ["id"] = agreement.Id, ["role"] = role.ToString().ToLowerInvariant(), ["terms"] = agreement.ToJson() };
        if (secret != null) data["secret"] = Json.Hex(secret);
        var created = store.Append(agreement.Id, SwapEventTypes.Created, data);
        options.OnEvent?.Invoke(created);
        return Open(store, agreement.Id, legs, options);
    }

    /// <summary>Opens a swap already in the store, to resume it.</summary>
    public static SwapEngine Open(SwapStore store, string swapId, SwapLegs legs, SwapEngineOptions options) =>
        new(store, swapId, SwapState.Fold(store.Read(swapId)), legs, options);

    /// <summary>Steps until the swap is finished or <paramref name="ct"/> is cancelled; a failed step is reported and retried after the poll interval.</summary>
    public async Task<SwapState> RunAsync(Action<Exception>? onError = null, CancellationToken ct = default)
    {
        while (true)
        {
            try
            {
                var state = await StepAsync(ct);
                if (state.Finished) return state;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                onError?.Invoke(e);
            }
            await Task.Delay(options.PollInterval, ct);
        }
    }

    /// <summary>One look at both chains and at most the actions now due; returns the swap's state after it.</summary>
    public async Task<SwapState> StepAsync(CancellationToken ct = default)
    {
        var s = State;
        if (s.Finished) return s;
        // Each phase starts from the log as it now is; a cancelled engine stops between phases.
        await ObserveOwnLegAsync(s, ct);
        ct.ThrowIfCancellationRequested();
        await ObserveCounterLegAsync(State, ct);
        ct.ThrowIfCancellationRequested();
        await LockOwnLegIfDueAsync(State, ct);
        ct.ThrowIfCancellationRequested();
        await ClaimCounterLegIfDueAsync(State, ct);
        ct.ThrowIfCancellationRequested();
        await BumpStuckLockAsync(State, ct);
        ct.ThrowIfCancellationRequested();
        await BumpStuckSettlementsAsync(State, ct);
        ct.ThrowIfCancellationRequested();
        s = State;
        var outcome = Outcome(s, await counter.NowAsync(ct), await own.NowAsync(ct));
        if (outcome != null) Append(SwapEventTypes.Finished, new JsonObject { ["outcome"] = outcome });
        return State;
    }

    /// <summary>Reads this side's lock: sends it again if it is not on chain yet, records confirmation, a claim (learning the secret) or a refund, and refunds once the timeout allows.</summary>
    private async Task ObserveOwnLegAsync(SwapState s, CancellationToken ct)
    {
        if (s.OwnLock == null || s.OwnSettled || s.OwnLockExpired != null) return;
        var hash = s.Agreement.HashLock;
        var now = await own.NowAsync(ct); // read before the lock: a lock not seen after a clock past the timeout can no longer land
        var observed = await own.GetLockAsync(s.OwnLock.Ref, s.OwnLeg, hash, ct);
        if (observed == null && !own.RefundOpen(now, s.OwnLeg.Timeout))
        {
            // Logged but not on chain: a crash between the log and the broadcast, or a dropped transaction.
            await BroadcastLockAsync(s.OwnLock, s.OwnLeg, hash, ct);
            observed = await own.GetLockAsync(s.OwnLock.Ref, s.OwnLeg, hash, ct);
        }
        else if (observed == null && own.LateLockRefused && !s.OwnLockConfirmed)
        {
            Append(SwapEventTypes.OwnLockExpired, new JsonObject
            {
                ["ref"] = s.OwnLock.Ref,
                ["reason"] = "the lock never reached the chain before its timeout, and the chain now refuses it: nothing was locked",
            });
            return;
        }
        if (observed == null) return;
        if (!s.OwnLockConfirmed && observed.Confirmations >= 1)
        {
            var refund = await own.PrepareRefundAsync(observed, ct);
            Append(SwapEventTypes.OwnLockConfirmed, new JsonObject { ["ref"] = observed.Ref, ["confirmations"] = observed.Confirmations, ["refund"] = refund });
            ct.ThrowIfCancellationRequested();
            s = State;
        }
        switch (observed.Status)
        {
            case LockStatus.Claimed:
                // The participant learns the secret from this event (SwapState checks it against the hash lock).
                Append(SwapEventTypes.OwnClaimed, new JsonObject { ["tx"] = observed.SettleTransaction, ["preimage"] = observed.Preimage is { } p ? Json.Hex(p) : null });
                break;
            // A refund this side sent counts once mined, so that a stuck one is still replaced.
            case LockStatus.Refunded when observed.SettleConfirmations >= 1 || s.RefundSends.Count == 0:
                Append(SwapEventTypes.OwnRefunded, new JsonObject { ["tx"] = observed.SettleTransaction });
                break;
            case LockStatus.Open when s.OwnLockConfirmed && s.RefundSends.Count == 0 && own.RefundOpen(now, observed.Timeout):
                var signed = await own.SignRefundAsync(observed, s.PreparedRefund ?? "", ct);
                if (signed.Replay == null)
                {
                    Append(SwapEventTypes.OwnRefunded, new JsonObject { ["tx"] = signed.Tx }); // included already
                    break;
                }
                Append(SwapEventTypes.RefundSent, PendingSettle.ToJson(signed, now));
                ct.ThrowIfCancellationRequested();
                await BroadcastAsync(own, signed, ct);
                break;
        }
    }

    /// <summary>
    /// The counterparty's open locks on its leg with what the audit says of each, without logging
    /// or doing anything (the CLI's <c>swap audit</c>).
    /// </summary>
    public async Task<IReadOnlyList<(ObservedLock Lock, IReadOnlyList<string> Reasons)>> AuditCounterLocksAsync(CancellationToken ct = default)
    {
        var s = State;
        var counterNow = await counter.NowAsync(ct);
        var ownRemaining = own.Remaining(await own.NowAsync(ct), s.OwnLeg.Timeout);
        return (await counter.FindLocksAsync(s.CounterLeg, s.Agreement.HashLock, ct))
            .OrderBy(l => l.Ref, StringComparer.Ordinal)
            .Select(l => (l, LockAudit.Check(l, s.CounterLeg, s.Agreement.HashLock, s.Role, ownRemaining, counter.Remaining(counterNow, l.Timeout), options)))
            .ToList();
    }

    /// <summary>Audits the counterparty's lock until one passes, then follows it (claimed or refunded).</summary>
    private async Task ObserveCounterLegAsync(SwapState s, CancellationToken ct)
    {
        var hash = s.Agreement.HashLock;
        if (s.CounterLockRef == null)
        {
            if (s.Role == SwapRole.Initiator && !s.OwnLockConfirmed) return; // nothing to expect before our own lock
            if (s.OwnSettled || s.AbandonReason != null) return;
            var counterNow = await counter.NowAsync(ct);
            var ownRemaining = own.Remaining(await own.NowAsync(ct), s.OwnLeg.Timeout);
            foreach (var candidate in (await counter.FindLocksAsync(s.CounterLeg, hash, ct)).OrderBy(l => l.Ref, StringComparer.Ordinal))
            {
                if (s.RefusedLocks.Contains(candidate.Ref)) continue;
                var reasons = LockAudit.Check(candidate, s.CounterLeg, hash, s.Role, ownRemaining, counter.Remaining(counterNow, candidate.Timeout), options);
                if (reasons.Count > 0)
                {
                    Append(SwapEventTypes.CounterLockRefused, new JsonObject
                    {
                        ["ref"] = candidate.Ref, ["reasons"] = new JsonArray(reasons.Select(r => (JsonNode)r).ToArray()),
                    });
                    continue;
                }
                if (candidate.Confirmations < s.CounterLeg.Confirmations) return; // right, but not deep enough yet
                Append(SwapEventTypes.CounterLockAccepted, new JsonObject { ["ref"] = candidate.Ref, ["confirmations"] = candidate.Confirmations });
                return;
            }
            return;
        }
        if (s.CounterClaimTx != null || s.CounterRefunded) return;
        var observed = await counter.GetLockAsync(s.CounterLockRef, s.CounterLeg, hash, ct);
        // A claim this side sent counts once mined (any of its replacements, or the original).
        if (observed?.Status == LockStatus.Claimed && (observed.SettleConfirmations >= 1 || s.ClaimSends.Count == 0))
            Append(SwapEventTypes.CounterClaimed, new JsonObject { ["tx"] = observed.SettleTransaction });
        else if (observed?.Status == LockStatus.Refunded)
            Append(SwapEventTypes.CounterRefunded, new JsonObject { ["tx"] = observed.SettleTransaction });
    }

    /// <summary>The initiator locks at once; the participant only after the initiator's lock passed the audit, and while its own timeout is far enough.</summary>
    private async Task LockOwnLegIfDueAsync(SwapState s, CancellationToken ct)
    {
        if (s.OwnLock != null || s.AbandonReason != null) return;
        var ownRemaining = own.Remaining(await own.NowAsync(ct), s.OwnLeg.Timeout);
        if (s.Role == SwapRole.Participant && s.CounterLockRef == null)
        {
            if (ownRemaining < options.MinClaimWindow)
                Append(SwapEventTypes.Abandoned, new JsonObject { ["reason"] = s.RefusalReasons.Count > 0
                    ? "no acceptable lock from the initiator in time: " + string.Join("; ", s.RefusalReasons)
                    : "the initiator did not lock in time" });
            return;
        }
        if (ownRemaining < options.MinClaimWindow)
        {
            Append(SwapEventTypes.Abandoned, new JsonObject { ["reason"] = "too late to lock: the own timeout is too close" });
            return;
        }
        var now = await own.NowAsync(ct);
        var prepared = await own.PrepareLockAsync(s.OwnLeg, s.Agreement.HashLock, ct);
        Append(SwapEventTypes.OwnLockPrepared, new JsonObject
        {
            ["ref"] = prepared.Ref, ["raw"] = prepared.Raw, ["extra"] = prepared.Extra, ["at"] = now.ToString(),
        });
        ct.ThrowIfCancellationRequested();
        await BroadcastLockAsync(prepared, s.OwnLeg, s.Agreement.HashLock, ct);
    }

    /// <summary>Claims the accepted counterparty lock once the secret is known (the initiator's from the start, the participant's once revealed).</summary>
    private async Task ClaimCounterLegIfDueAsync(SwapState s, CancellationToken ct)
    {
        if (s.Secret == null || s.CounterLockRef == null || s.CounterClaimTx != null || s.CounterRefunded || s.ClaimSends.Count > 0) return;
        if (s.Role == SwapRole.Initiator && (!s.OwnLockConfirmed || s.OwnSettled)) return;
        var observed = await counter.GetLockAsync(s.CounterLockRef, s.CounterLeg, s.Agreement.HashLock, ct);
        if (observed is not { Status: LockStatus.Open }) return;
        var now = await counter.NowAsync(ct);
        if (counter.RefundOpen(now, observed.Timeout)) return;
        // The initiator reveals the secret only with time to spare: a claim that misses T2 would hand
        // the participant the secret and its own refund. The participant has nothing left to protect.
        if (s.Role == SwapRole.Initiator && counter.Remaining(now, observed.Timeout) < options.MinClaimWindow / 2) return;
        // Signed, logged, then broadcast: a crash between the two resends this very claim (same nonce, same txid).
        var signed = await counter.SignClaimAsync(observed, s.Secret, ct);
        if (signed.Replay == null)
        {
            Append(SwapEventTypes.CounterClaimed, new JsonObject { ["tx"] = signed.Tx }); // included already
            return;
        }
        Append(SwapEventTypes.ClaimSent, PendingSettle.ToJson(signed, now));
        ct.ThrowIfCancellationRequested();
        await BroadcastAsync(counter, signed, ct);
    }

    /// <summary>
    /// Replaces this side's logged lock with a higher fee when it has sat off chain for
    /// <see cref="SwapEngineOptions.FeeBumpAfter"/> of its chain's clock. The replacement keeps the
    /// lock's reference and is logged before it is broadcast; every version spends the same nonce
    /// (Ethereum), so at most one is ever mined and the observer follows whichever it is.
    /// </summary>
    private async Task BumpStuckLockAsync(SwapState s, CancellationToken ct)
    {
        if (s.OwnLock == null || s.OwnLockSentAt is not { } sentAt || s.OwnLockExpired != null || s.OwnLockConfirmed) return;
        var now = await own.NowAsync(ct);
        if (own.RefundOpen(now, s.OwnLeg.Timeout) || own.Remaining(sentAt, now) < options.FeeBumpAfter) return;
        // Mined: the observer takes it from here (Bitcoin shows a funding from the mempool on, with no confirmation).
        if (await own.GetLockAsync(s.OwnLock.Ref, s.OwnLeg, s.Agreement.HashLock, ct) is { Confirmations: >= 1 }) return;
        var replacement = await own.ReplaceLockAsync(s.OwnLock, options, ct);
        if (replacement == null) return; // at the fee cap, or a leg that cannot: the last version is resent as it is
        Append(SwapEventTypes.LockFeeBumped, new JsonObject
        {
            ["ref"] = replacement.Ref, ["raw"] = replacement.Raw, ["extra"] = replacement.Extra, ["at"] = now.ToString(),
        });
        ct.ThrowIfCancellationRequested();
        await BroadcastLockAsync(replacement, s.OwnLeg, s.Agreement.HashLock, ct);
    }

    /// <summary>Hands a logged claim, refund or replacement to its chain, and remembers that this engine did; a refusal is a notice, not an error.</summary>
    private async Task BroadcastAsync(ISwapLeg leg, SentSettle signed, CancellationToken ct)
    {
        Refused(leg, signed.Tx, await leg.BroadcastSettleAsync(signed, ct));
        broadcast.Add(signed.Tx);
    }

    /// <summary>Hands a logged lock (or its replacement) to this side's chain; a refusal is a notice: the lock's presence on chain decides.</summary>
    private async Task BroadcastLockAsync(PreparedLock prepared, LegTerms terms, byte[] hashLock, CancellationToken ct) =>
        Refused(own, prepared.Ref, await own.BroadcastLockAsync(prepared, terms, hashLock, ct));

    private void Refused(ISwapLeg leg, string what, string? refusal)
    {
        if (refusal is not null)
            options.OnNotice?.Invoke($"swap {Id}: the {leg.Chain} node refused {what}: {refusal} (the chain decides which logged version counts)");
    }

    /// <summary>
    /// Replaces a claim or refund this side sent that has sat unmined for <see cref="SwapEngineOptions.FeeBumpAfter"/>
    /// of its chain's clock. Each replacement is logged before anything depends on it, so a resumed
    /// engine knows every transaction that may confirm; the observers accept whichever does.
    /// </summary>
    private async Task BumpStuckSettlementsAsync(SwapState s, CancellationToken ct)
    {
        if (s.CounterClaimTx == null && !s.CounterRefunded && s.CounterLockRef != null && s.ClaimSends.Count > 0)
            await BumpIfStuckAsync(counter, PendingSettle.Claim, s.ClaimSends[^1], s.CounterLockRef, s.CounterLeg, s.Agreement.HashLock, ct);
        if (s.OwnRefundTx == null && s.OwnClaimTx == null && s.OwnLock != null && s.RefundSends.Count > 0)
            await BumpIfStuckAsync(own, PendingSettle.Refund, s.RefundSends[^1], s.OwnLock.Ref, s.OwnLeg, s.Agreement.HashLock, ct);
    }

    private async Task BumpIfStuckAsync(ISwapLeg leg, string kind, PendingSettle last, string lockRef, LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        if (last.Replay == null) return;
        var observed = await leg.GetLockAsync(lockRef, terms, hashLock, ct);
        if (observed == null || (observed.Status != LockStatus.Open && observed.SettleConfirmations >= 1)) return; // settled: the observers log it
        // Logged but perhaps never broadcast (a crash in between): this engine sends it once, the very same transaction.
        if (!broadcast.Contains(last.Tx)) await BroadcastAsync(leg, last.Sent, ct);
        var now = await leg.NowAsync(ct);
        if (leg.Remaining(last.SentAt, now) < options.FeeBumpAfter) return;
        var replacement = await leg.ReplaceAsync(observed, last.Sent, options, ct);
        if (replacement == null) return; // at the fee cap: keep waiting for the last one
        var data = PendingSettle.ToJson(replacement, now);
        data["kind"] = kind;
        data["replaces"] = last.Tx;
        Append(SwapEventTypes.FeeBumped, data);
        ct.ThrowIfCancellationRequested();
        await BroadcastAsync(leg, replacement, ct);
    }

    private string? Outcome(SwapState s, System.Numerics.BigInteger counterNow, System.Numerics.BigInteger ownNow)
    {
        if (s.OwnLockExpired != null && s.CounterClaimTx == null) return "nothing locked: " + s.OwnLockExpired;
        if (s.Role == SwapRole.Initiator)
        {
            if (s.OwnClaimTx != null && s.CounterClaimTx != null) return "completed";
            if (s.OwnRefundTx != null) return s.CounterClaimTx != null ? "completed (own leg refunded: the participant never claimed it)" : "refunded";
            return null;
        }
        if (s.CounterClaimTx != null) return "completed";
        if (s.OwnRefundTx != null) return "refunded";
        if (s.OwnLock == null && s.AbandonReason != null) return "abandoned: " + s.AbandonReason;
        if (s.OwnClaimTx != null && (s.CounterRefunded || counter.RefundOpen(counterNow, s.CounterLeg.Timeout)))
            return "lost: the initiator's leg timed out before it could be claimed";
        return null;
    }

    private void Append(string type, JsonObject data)
    {
        var e = store.Append(Id, type, data);
        options.OnEvent?.Invoke(e);
    }
}
