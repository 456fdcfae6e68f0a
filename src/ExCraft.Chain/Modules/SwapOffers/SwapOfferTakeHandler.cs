using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>
/// swap_offer_take (kind 84): takes an open offer whole and starts the swap in the same transaction.
/// The native side (the maker's escrow, or the taker's balance when the maker gives the outside
/// side) becomes the initiator's HTLC in the htlc module, with the offer's id, the initiator's hash
/// lock, the participant as recipient, the initiator as refund address and a timeout LockBlocks
/// after this block; the offer records the taker and its outside key, so both engines read the
/// terms (<see cref="SwapOfferRecord.Terms"/>) from it.
/// </summary>
public sealed class SwapOfferTakeHandler : TxHandler<SwapOfferTakePayload>
{
    protected override string? CheckStateless(SwapOfferTakePayload p)
    {
        if (p.OfferId.Length != SwapOfferRules.IdLength) return $"offer id must be {SwapOfferRules.IdLength} bytes, got {p.OfferId.Length}";
        if (p.TakerOutsideKey.Length == 0) return "the taker's outside key or address is missing";
        return p.HashLock.Length is 0 or HtlcRules.HashLength ? null : $"the hash lock must be {HtlcRules.HashLength} bytes (SHA-256) or empty, got {p.HashLock.Length}";
    }

    /// <summary>Nothing the mempool can know from the payload: what a taker pays is the offer's native amount, checked when it runs.</summary>
    protected override IReadOnlyList<AssetAmount> Spend(SwapOfferTakePayload p) => [];

    protected override void Apply(TxContext c, SwapOfferTakePayload p)
    {
        var offers = new SwapOfferState(c.State);
        var id = Hex.Encode(p.OfferId);
        var offer = offers.Get(p.OfferId) ?? throw new TransactionFailedException($"swap offer {id} does not exist");
        if (offer.Status != SwapOfferStatus.Open) throw new TransactionFailedException($"swap offer {id} is already {SwapOfferText.Status(offer.Status)}");
        if (c.Block.Height >= offer.ExpiryHeight) throw new TransactionFailedException($"swap offer {id} expired at height {offer.ExpiryHeight}");
        if (c.Sender == offer.Maker) throw new TransactionFailedException("a maker cannot take its own offer");
        if (SwapOfferRules.CheckOutsideKey(offer.OutsideChain, p.TakerOutsideKey, "the taker's") is { } keyError) throw new TransactionFailedException(keyError);

        byte[] hashLock;
        if (offer.Side == SwapOfferSide.MakerGivesNative)
        {
            if (p.HashLock.Length != 0) throw new TransactionFailedException("the maker gives the native side and is the initiator: the hash lock is the offer's, the take must not carry one");
            hashLock = offer.HashLock;
        }
        else
        {
            if (p.HashLock.Length != HtlcRules.HashLength) throw new TransactionFailedException("the maker gives the outside side, so the taker is the initiator and must bring its 32-byte hash lock");
            hashLock = p.HashLock;
            c.Accounts.Debit(c.Sender, offer.NativeAsset, offer.NativeAmount); // the taker's native side, straight into the HTLC
        }

        var htlcs = new HtlcState(c.State);
        if (htlcs.Get(offer.Id) is not null) throw new TransactionFailedException($"htlc {id} already exists"); // cannot happen: see SwapOfferRules.IdOf
        var taken = offer with { Status = SwapOfferStatus.Taken, Taker = c.Sender, TakerOutsideKey = p.TakerOutsideKey, HashLock = hashLock, ClosedHeight = c.Block.Height };
        offers.Close(offer, taken); // the maker's escrow (if any) leaves the offer's total ...
        var terms = taken.Terms()!;
        htlcs.Create(new HtlcRecord(terms.NativeHtlcId, terms.Initiator, terms.Participant, terms.NativeAsset, terms.NativeAmount, terms.HashLock,
            terms.NativeTimeoutHeight, terms.Initiator, c.Block.Height, HtlcStatus.Locked, null, 0)); // ... and enters the HTLC's

        c.Emit(ChainEvent.Of(SwapOffersModule.Events.Taken, ("id", id), ("maker", offer.Maker.ToString()), ("taker", c.Sender.ToString()),
            ("takerOutsideKey", Hex.Encode(p.TakerOutsideKey)), ("hashLock", Hex.Encode(hashLock)),
            ("initiator", terms.Initiator.ToString()), ("participant", terms.Participant.ToString()), ("htlcId", id),
            ("nativeTimeoutHeight", terms.NativeTimeoutHeight.ToString(CultureInfo.InvariantCulture))));
        // The same event an htlc_lock emits, so HTLC watchers see the native leg without knowing about offers.
        c.Emit(ChainEvent.Of(HtlcModule.Events.Locked, ("id", id), ("sender", terms.Initiator.ToString()), ("recipient", terms.Participant.ToString()),
            ("asset", terms.NativeAsset), ("amount", ChainEvent.Units(terms.NativeAmount)), ("hashLock", Hex.Encode(hashLock)),
            ("timeoutHeight", terms.NativeTimeoutHeight.ToString(CultureInfo.InvariantCulture)), ("refundAddress", terms.Initiator.ToString())));
    }
}
