using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine;

/// <summary>
/// What a swap's log says so far, folded from its events in order. The engine decides its next
/// step from this and from what the chains show, never from memory kept between steps.
/// </summary>
public sealed class SwapState
{
    public required string Id { get; init; }
    public required SwapRole Role { get; init; }
    public required SwapAgreement Agreement { get; init; }
    public byte[]? Secret { get; private set; }
    /// <summary>The lock this side logged, its latest fee replacement if any (all versions share the reference).</summary>
    public PreparedLock? OwnLock { get; private set; }
    /// <summary>The own chain's clock when <see cref="OwnLock"/> was logged (null in logs written before it was recorded).</summary>
    public System.Numerics.BigInteger? OwnLockSentAt { get; private set; }
    /// <summary>Why the logged lock can no longer land (its timeout passed with nothing on chain); the swap is over.</summary>
    public string? OwnLockExpired { get; private set; }
    public bool OwnLockConfirmed { get; private set; }
    public string? PreparedRefund { get; private set; }
    public string? CounterLockRef { get; private set; }
    public HashSet<string> RefusedLocks { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> RefusalReasons { get; } = [];
    public string? CounterClaimTx { get; private set; }
    public bool CounterRefunded { get; private set; }
    public string? OwnClaimTx { get; private set; }
    public string? OwnRefundTx { get; private set; }
    /// <summary>Every claim this side sent of the counterparty's leg, the original first, then each replacement.</summary>
    public List<PendingSettle> ClaimSends { get; } = [];
    /// <summary>Every refund this side sent of its own leg, the original first, then each replacement.</summary>
    public List<PendingSettle> RefundSends { get; } = [];
    public string? AbandonReason { get; private set; }
    public string? Outcome { get; private set; }
    public IReadOnlyList<SwapEvent> Events { get; private init; } = [];

    public LegTerms OwnLeg => Role == SwapRole.Initiator ? Agreement.InitiatorLeg : Agreement.ParticipantLeg;
    public LegTerms CounterLeg => Role == SwapRole.Initiator ? Agreement.ParticipantLeg : Agreement.InitiatorLeg;
    public bool OwnSettled => OwnClaimTx != null || OwnRefundTx != null;
    public bool Finished => Outcome != null;

    public static SwapState Fold(IReadOnlyList<SwapEvent> events)
    {
        if (events.Count == 0 || events[0].Type != SwapEventTypes.Created) throw new InvalidDataException("a swap log starts with a 'created' event");
        var created = events[0].Data;
        var state = new SwapState
        {
            Id = Json.String(created, "id"),
            Role = Enum.Parse<SwapRole>(Json.String(created, "role"), ignoreCase: true),
            Agreement = SwapAgreement.FromJson(created["terms"]),
            Events = events,
        };
        state.Secret = Json.OptionalBytes(created, "secret");
        foreach (var e in events.Skip(1)) state.Apply(e);
        return state;
    }

    private void Apply(SwapEvent e)
    {
        var d = e.Data;
        switch (e.Type)
        {
            case SwapEventTypes.OwnLockPrepared:
            case SwapEventTypes.LockFeeBumped:
                OwnLock = new PreparedLock(Json.String(d, "ref"), Json.OptionalString(d, "raw"), Json.OptionalString(d, "extra"));
                OwnLockSentAt = d["at"] == null ? null : Json.Integer(d, "at");
                break;
            case SwapEventTypes.OwnLockExpired: OwnLockExpired = Json.String(d, "reason"); break;
            case SwapEventTypes.OwnLockConfirmed:
                OwnLockConfirmed = true;
                PreparedRefund = Json.OptionalString(d, "refund");
                break;
            case SwapEventTypes.CounterLockRefused:
                RefusedLocks.Add(Json.String(d, "ref"));
                RefusalReasons.AddRange((d["reasons"] as JsonArray ?? []).Select(r => r!.GetValue<string>()));
                break;
            case SwapEventTypes.CounterLockAccepted: CounterLockRef = Json.String(d, "ref"); break;
            case SwapEventTypes.CounterClaimed: CounterClaimTx = Json.OptionalString(d, "tx") ?? ""; break;
            case SwapEventTypes.CounterRefunded: CounterRefunded = true; break;
            case SwapEventTypes.OwnClaimed:
                OwnClaimTx = Json.OptionalString(d, "tx") ?? "";
                if (Secret == null && Json.OptionalBytes(d, "preimage") is { Length: 32 } preimage
                    && System.Security.Cryptography.SHA256.HashData(preimage).AsSpan().SequenceEqual(Agreement.HashLock))
                    Secret = preimage; // the secret the initiator revealed by claiming
                break;
            case SwapEventTypes.ClaimSent: ClaimSends.Add(PendingSettle.FromJson(d)); break;
            case SwapEventTypes.RefundSent: RefundSends.Add(PendingSettle.FromJson(d)); break;
            case SwapEventTypes.FeeBumped:
                (Json.String(d, "kind") == PendingSettle.Claim ? ClaimSends : RefundSends).Add(PendingSettle.FromJson(d));
                break;
            case SwapEventTypes.OwnRefunded: OwnRefundTx = Json.OptionalString(d, "tx") ?? ""; break;
            case SwapEventTypes.Abandoned: AbandonReason = Json.String(d, "reason"); break;
            case SwapEventTypes.Finished: Outcome = Json.String(d, "outcome"); break;
            default: throw new InvalidDataException($"unknown swap event type '{e.Type}'");
        }
    }
}

/// <summary>A claim or refund as the log has it: its transaction, what replaces it, and the chain's clock when it was sent.</summary>
public sealed record PendingSettle(string Tx, string? Replay, System.Numerics.BigInteger SentAt)
{
    public const string Claim = "claim";
    public const string Refund = "refund";

    public SentSettle Sent => new(Tx, Replay);

    public static PendingSettle FromJson(JsonObject d) => new(Json.String(d, "tx"), Json.OptionalString(d, "replay"), Json.Integer(d, "at"));

    public static JsonObject ToJson(SentSettle sent, System.Numerics.BigInteger at) =>
        new() { ["tx"] = sent.Tx, ["replay"] = sent.Replay, ["at"] = at.ToString() };
}
