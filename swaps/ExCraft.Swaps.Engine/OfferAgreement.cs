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
    /// On ethereum, <paramref name="outsideNow"/> is the chain's clock now (latest block time): the
    /// participant's lock times out <c>OutsideLockSeconds</c> after it, so at most that long after
    /// it is made; the initiator takes it as the earliest timeout it accepts (the audit's margins,
    /// T1 - T2 and the claim window, are what protect it). On bitcoin the P2WSH script commits to
    /// its exact timeout, so both parties must derive the same one from the signed terms alone:
    /// the offer's outside lock field carries the Bitcoin timeout height itself (docs/swaps.md
    /// "Bitcoin offers: the exact timeout"), and <paramref name="outsideNow"/> is not used.
    /// </summary>
    public static (SwapAgreement Agreement, SwapRole Role) For(
        SwapOfferTerms terms, Address local, BigInteger outsideNow, int nativeConfirmations = 1, int outsideConfirmations = 1)
    {
        var offer = Hex.Encode(terms.OfferId);
        SwapRole role;
        if (local == terms.Initiator) role = SwapRole.Initiator;
        else if (local == terms.Participant) role = SwapRole.Participant;
        else throw new ArgumentException($"{local} is neither party of offer {offer}: the initiator is {terms.Initiator}, the participant {terms.Participant}");
        if (terms.OutsideChain != SwapOfferRules.Ethereum && terms.OutsideChain != SwapOfferRules.Bitcoin)
            throw new ArgumentException($"offer {offer} is on {terms.OutsideChain}: swaps from offers run on ethereum and bitcoin only");
        if (!terms.NativeHtlcId.AsSpan().SequenceEqual(terms.OfferId))
            throw new ArgumentException($"offer {offer}: its native HTLC {Hex.Encode(terms.NativeHtlcId)} is not the offer id");

        var native = new LegTerms(ExCraftLeg.ChainName, terms.NativeAsset, (BigInteger)terms.NativeAmount, terms.Participant.ToString(),
            terms.Initiator.ToString(), terms.NativeTimeoutHeight, nativeConfirmations);
        var outside = terms.OutsideChain == SwapOfferRules.Bitcoin
            ? BitcoinLeg(terms, outsideConfirmations)
            : new LegTerms(EthereumLeg.ChainName, OutsideAsset(terms.OutsideAsset), (BigInteger)terms.OutsideAmount,
                Json.Hex(terms.OutsideClaimKey), Json.Hex(terms.OutsideRefundKey),
                role == SwapRole.Participant ? outsideNow + terms.OutsideLockSeconds : outsideNow, outsideConfirmations);
        var agreement = new SwapAgreement(terms.HashLock, native, outside);
        agreement.Validate();
        return (agreement, role);
    }

    /// <summary>
    /// The Bitcoin leg of a taken offer, the same for both parties: the P2WSH script's keys are the
    /// compressed public keys (hex, as the Bitcoin leg names them) and its CLTV timeout is the
    /// offer's outside lock field read as an absolute Bitcoin block height (the exact-deadline rule).
    /// </summary>
    private static LegTerms BitcoinLeg(SwapOfferTerms terms, int confirmations)
    {
        if (terms.OutsideAsset != SwapOfferRules.Btc) throw new ArgumentException($"offer {Hex.Encode(terms.OfferId)}: the asset on bitcoin is BTC, not {terms.OutsideAsset}");
        if (terms.OutsideLockSeconds > BitcoinMaxHeight)
            throw new ArgumentException($"offer {Hex.Encode(terms.OfferId)}: its Bitcoin timeout height {terms.OutsideLockSeconds} is above {BitcoinMaxHeight} (a CLTV height is below 500,000,000)");
        return new LegTerms(SwapOfferRules.Bitcoin, SwapOfferRules.Btc, (BigInteger)terms.OutsideAmount, Convert.ToHexStringLower(terms.OutsideClaimKey),
            Convert.ToHexStringLower(terms.OutsideRefundKey), terms.OutsideLockSeconds, confirmations);
    }

    /// <summary>The highest lock time that is a block height for OP_CHECKLOCKTIMEVERIFY (from 500,000,000 on it is a unix time).</summary>
    public const ulong BitcoinMaxHeight = 499_999_999;

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
