using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;
using ExCraft.Swaps.Engine.Legs;

namespace ExCraft.Swaps.Engine;

/// <summary>
/// Turns a taken swap offer (the chain's <see cref="SwapOfferTerms"/>, docs/swap-offers.md) into
/// the engine's <see cref="SwapAgreement"/> and this party's role, so both parties start their
/// engines on the terms both signed (docs/swaps-engine.md "Swaps from offers"). The initiator's
/// native leg is the HTLC the take already created: the ExCraft leg adopts it instead of locking.
/// </summary>
public static class OfferAgreement
{
    /// <summary>
    /// The agreement and the role of <paramref name="local"/> (this party's native address).
    /// <paramref name="outsideNow"/> is the outside chain's clock now (latest Ethereum block time):
    /// the participant's lock times out <c>OutsideLockSeconds</c> after it, so at most that long
    /// after it is made; the initiator takes it as the earliest timeout it accepts (the audit's
    /// margins, T1 - T2 and the claim window, are what protect it).
    /// </summary>
    public static (SwapAgreement Agreement, SwapRole Role) For(
        SwapOfferTerms terms, Address local, BigInteger outsideNow, int nativeConfirmations = 1, int outsideConfirmations = 1)
    {
        var offer = Hex.Encode(terms.OfferId);
        SwapRole role;
        if (local == terms.Initiator) role = SwapRole.Initiator;
        else if (local == terms.Participant) role = SwapRole.Participant;
        else throw new ArgumentException($"{local} is neither party of offer {offer}: the initiator is {terms.Initiator}, the participant {terms.Participant}");
        if (terms.OutsideChain != SwapOfferRules.Ethereum)
            throw new ArgumentException($"offer {offer} is on {terms.OutsideChain}: swaps from offers run on ethereum only so far (docs/swaps-engine.md)");
        if (!terms.NativeHtlcId.AsSpan().SequenceEqual(terms.OfferId))
            throw new ArgumentException($"offer {offer}: its native HTLC {Hex.Encode(terms.NativeHtlcId)} is not the offer id");

        var native = new LegTerms(ExCraftLeg.ChainName, terms.NativeAsset, (BigInteger)terms.NativeAmount, terms.Participant.ToString(),
            terms.Initiator.ToString(), terms.NativeTimeoutHeight, nativeConfirmations);
        var outsideTimeout = role == SwapRole.Participant ? outsideNow + terms.OutsideLockSeconds : outsideNow;
        var outside = new LegTerms(EthereumLeg.ChainName, OutsideAsset(terms.OutsideAsset), (BigInteger)terms.OutsideAmount,
            Json.Hex(terms.OutsideClaimKey), Json.Hex(terms.OutsideRefundKey), outsideTimeout, outsideConfirmations);
        var agreement = new SwapAgreement(terms.HashLock, native, outside);
        agreement.Validate();
        return (agreement, role);
    }

    /// <summary>
    /// The terms of a taken offer from the node's offer JSON (<c>swapoffers_get</c>): refuses an
    /// unknown offer and one that is open, cancelled or expired (no swap started).
    /// </summary>
    public static SwapOfferTerms TermsOf(string offerId, JsonNode? offer)
    {
        if (offer is not JsonObject o) throw new ArgumentException($"no swap offer {offerId}");
        var status = Json.String(o, "status");
        if (status != "taken") throw new ArgumentException($"swap offer {offerId} is {status}, not taken: no swap has started from it");
        var t = o["terms"] as JsonObject ?? throw new InvalidDataException($"swap offer {offerId} is taken but has no terms");
        return new SwapOfferTerms(
            Json.Bytes(t, "offerId"), Json.Bytes(t, "hashLock"), Address.Parse(Json.String(t, "initiator")),
            Address.Parse(Json.String(t, "participant")), Json.Bytes(t, "nativeHtlcId"), Json.String(t, "nativeAsset"),
            Units(t, "nativeAmount"), (ulong)Json.Integer(t, "nativeLockHeight"), (ulong)Json.Integer(t, "nativeTimeoutHeight"),
            Json.String(t, "outsideChain"), Json.String(t, "outsideAsset"), Units(t, "outsideAmount"), Json.Bytes(t, "outsideClaimKey"),
            Json.Bytes(t, "outsideRefundKey"), (ulong)Json.Integer(t, "outsideLockSeconds"));
    }

    /// <summary>Reads a taken offer's terms from the node (see <see cref="TermsOf"/>).</summary>
    public static async Task<SwapOfferTerms> ReadAsync(ExCraftRpc rpc, string offerId, CancellationToken ct) =>
        TermsOf(offerId, await rpc.CallAsync("swapoffers_get", ct, offerId));

    /// <summary>The offer's outside asset as the Ethereum leg names it: ETH, or the ERC20 contract address.</summary>
    private static string OutsideAsset(string asset) =>
        asset == SwapOfferRules.Eth ? EthereumLeg.Ether : asset;

    private static UInt128 Units(JsonObject o, string name) =>
        UInt128.Parse(Json.String(o, name), NumberStyles.None, CultureInfo.InvariantCulture);
}
