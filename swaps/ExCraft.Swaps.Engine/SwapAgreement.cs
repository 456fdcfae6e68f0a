using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine;

/// <summary>
/// The terms both parties agreed before anything is locked: the hash lock (SHA-256 of the
/// initiator's 32-byte secret), the initiator's leg (locked first, timeout T1) and the
/// participant's leg (locked second, timeout T2). This is what an offer taken on chain produces,
/// and what <see cref="SwapEngine.Create"/> takes.
/// </summary>
public sealed record SwapAgreement(byte[] HashLock, LegTerms InitiatorLeg, LegTerms ParticipantLeg)
{
    /// <summary>The swap's id in the event store: the hash lock in hex (one swap per secret).</summary>
    public string Id => Convert.ToHexString(HashLock).ToLowerInvariant();

    public void Validate()
    {
        if (HashLock is not { Length: 32 }) throw new ArgumentException("the hash lock must be 32 bytes (SHA-256 of the secret)");
        InitiatorLeg.Validate("initiator leg");
        ParticipantLeg.Validate("participant leg");
    }

    public JsonObject ToJson() => new()
    {
        ["hashLock"] = Json.Hex(HashLock), ["initiatorLeg"] = InitiatorLeg.ToJson(), ["participantLeg"] = ParticipantLeg.ToJson(),
    };

    public static SwapAgreement FromJson(JsonNode? node)
    {
        var o = node as JsonObject ?? throw new ArgumentException("swap terms: expected an object");
        var agreement = new SwapAgreement(Json.Bytes(o, "hashLock"), LegTerms.FromJson(o["initiatorLeg"], "initiator leg"),
            LegTerms.FromJson(o["participantLeg"], "participant leg"));
        agreement.Validate();
        return agreement;
    }
}

/// <summary>Initiator: holds the secret, locks first, claims the participant's leg. Participant: locks second, claims with the revealed secret.</summary>
public enum SwapRole { Initiator, Participant }
