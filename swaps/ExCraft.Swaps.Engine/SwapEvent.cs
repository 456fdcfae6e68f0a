using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine;

/// <summary>
/// One entry of a swap's append-only log: a sequence number, a type (<see cref="SwapEventTypes"/>)
/// and the type's fields. Written as one JSON line (docs/swaps-engine.md).
/// </summary>
public sealed record SwapEvent(long Seq, string Type, JsonObject Data)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["seq"] = Seq, ["type"] = Type };
        foreach (var (key, value) in Data) o[key] = value?.DeepClone();
        return o;
    }

    public static SwapEvent FromJson(JsonObject o)
    {
        var data = new JsonObject();
        foreach (var (key, value) in o)
        {
            if (key is not ("seq" or "type")) data[key] = value?.DeepClone();
        }
        return new SwapEvent((long)Json.Integer(o, "seq"), Json.String(o, "type"), data);
    }
}

/// <summary>The event types, in the order a swap usually writes them.</summary>
public static class SwapEventTypes
{
    /// <summary>role, terms, and the secret when this side is the initiator.</summary>
    public const string Created = "created";
    /// <summary>ref, raw (signed lock, if any), extra, at (the chain's clock): written before the lock is broadcast.</summary>
    public const string OwnLockPrepared = "own_lock_prepared";
    /// <summary>ref, raw, extra, replaces, at: a logged lock not on chain after the fee-bump delay was re-signed with a higher fee (same reference; at most one version can be mined); written before it is broadcast.</summary>
    public const string LockFeeBumped = "lock_fee_bumped";
    /// <summary>ref, reason: the logged lock never reached the chain and its timeout has passed, so the chain will refuse it: nothing was locked, the swap is over.</summary>
    public const string OwnLockExpired = "own_lock_expired";
    /// <summary>ref, confirmations, refund (the prepared refund).</summary>
    public const string OwnLockConfirmed = "own_lock_confirmed";
    /// <summary>ref, reasons: a counterparty lock that failed the audit, never acted on.</summary>
    public const string CounterLockRefused = "counter_lock_refused";
    /// <summary>ref, confirmations: the counterparty's lock passed the audit.</summary>
    public const string CounterLockAccepted = "counter_lock_accepted";
    /// <summary>tx, replay, at: a claim of the counterparty's leg was signed (logged before it is broadcast) and waits for a block (replay lets the leg replace it; at is the chain's clock then).</summary>
    public const string ClaimSent = "claim_sent";
    /// <summary>tx, replay, at: a refund of this side's leg was signed (logged before it is broadcast) and waits for a block.</summary>
    public const string RefundSent = "refund_sent";
    /// <summary>kind (claim or refund), replaces, tx, replay, at: an unmined claim or refund was replaced with a higher fee; any of the logged transactions may be the one mined.</summary>
    public const string FeeBumped = "fee_bumped";
    /// <summary>tx: this side claimed the counterparty's leg (in a block, where the leg can tell).</summary>
    public const string CounterClaimed = "counter_claimed";
    /// <summary>tx: the counterparty's leg was refunded to them (this side will never claim it).</summary>
    public const string CounterRefunded = "counter_refunded";
    /// <summary>tx, preimage: the counterparty claimed this side's leg (the participant learns the secret here).</summary>
    public const string OwnClaimed = "own_claimed";
    /// <summary>tx: this side's leg came back to it after its timeout.</summary>
    public const string OwnRefunded = "own_refunded";
    /// <summary>reason: the participant gave up before locking anything (no acceptable lock in time).</summary>
    public const string Abandoned = "abandoned";
    /// <summary>outcome: the swap is over; nothing more will be done.</summary>
    public const string Finished = "finished";
}
