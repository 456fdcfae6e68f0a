using ExCraft.Chain.Execution;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>swap_offer_cancel (kind 85): the maker closes its own open offer; an escrowed native amount goes back to the maker. A taken offer cannot be cancelled: its swap has started.</summary>
public sealed class SwapOfferCancelHandler : TxHandler<SwapOfferCancelPayload>
{
    protected override string? CheckStateless(SwapOfferCancelPayload p) =>
        p.OfferId.Length != SwapOfferRules.IdLength ? $"offer id must be {SwapOfferRules.IdLength} bytes, got {p.OfferId.Length}" : null;

    protected override IReadOnlyList<AssetAmount> Spend(SwapOfferCancelPayload p) => [];

    protected override void Apply(TxContext c, SwapOfferCancelPayload p)
    {
        var offers = new SwapOfferState(c.State);
        var id = Hex.Encode(p.OfferId);
        var offer = offers.Get(p.OfferId) ?? throw new TransactionFailedException($"swap offer {id} does not exist");
        if (offer.Maker != c.Sender) throw new TransactionFailedException($"only its maker {offer.Maker} can cancel swap offer {id}");
        if (offer.Status != SwapOfferStatus.Open) throw new TransactionFailedException($"swap offer {id} is already {SwapOfferText.Status(offer.Status)}");
        var refunded = offer.Escrowed;
        offers.Close(offer, offer with { Status = SwapOfferStatus.Cancelled, ClosedHeight = c.Block.Height });
        if (refunded > 0) c.Accounts.Credit(offer.Maker, offer.NativeAsset, refunded);
        c.Emit(ChainEvent.Of(SwapOffersModule.Events.Cancelled, ("id", id), ("maker", offer.Maker.ToString()), ("asset", offer.NativeAsset),
            ("refunded", ChainEvent.Units(refunded))));
    }
}
