using System.Numerics;
using System.Text.Json.Nodes;

namespace ExCraft.Swaps.Engine;

/// <summary>
/// One leg of a swap as both parties agreed it: on <paramref name="Chain"/>, <paramref name="Amount"/>
/// base units of <paramref name="Asset"/> locked by the leg's sender (refunded to
/// <paramref name="RefundAddress"/>) for <paramref name="Recipient"/>, refundable from
/// <paramref name="Timeout"/> on, in the chain's own clock (a height on ExCraft and Bitcoin, a unix
/// time on Ethereum). <paramref name="Confirmations"/> is how deep the receiving side wants the
/// lock before it acts on it.
/// </summary>
public sealed record LegTerms(
    string Chain, string Asset, BigInteger Amount, string Recipient, string RefundAddress, BigInteger Timeout, int Confirmations)
{
    public void Validate(string which)
    {
        if (string.IsNullOrWhiteSpace(Chain)) throw new ArgumentException($"{which}: the chain is missing");
        if (string.IsNullOrWhiteSpace(Asset)) throw new ArgumentException($"{which}: the asset is missing");
        if (Amount <= 0) throw new ArgumentException($"{which}: the amount must be positive");
        if (string.IsNullOrWhiteSpace(Recipient)) throw new ArgumentException($"{which}: the recipient is missing");
        if (string.IsNullOrWhiteSpace(RefundAddress)) throw new ArgumentException($"{which}: the refund address is missing");
        if (Timeout <= 0) throw new ArgumentException($"{which}: the timeout must be positive");
        if (Confirmations < 1) throw new ArgumentException($"{which}: at least one confirmation is required");
    }

    public JsonObject ToJson() => new()
    {
        ["chain"] = Chain, ["asset"] = Asset, ["amount"] = Amount.ToString(), ["recipient"] = Recipient,
        ["refundAddress"] = RefundAddress, ["timeout"] = Timeout.ToString(), ["confirmations"] = Confirmations,
    };

    public static LegTerms FromJson(JsonNode? node, string which)
    {
        var o = node as JsonObject ?? throw new ArgumentException($"{which}: expected an object");
        var terms = new LegTerms(
            Json.String(o, "chain"), Json.String(o, "asset"), Json.Integer(o, "amount"), Json.String(o, "recipient"),
            Json.String(o, "refundAddress"), Json.Integer(o, "timeout"), (int)Json.Integer(o, "confirmations"));
        terms.Validate(which);
        return terms;
    }
}
