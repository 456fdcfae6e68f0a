using ExCraft.Chain.Execution;
using ExCraft.Chain.State;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>
/// Cross-chain swap offers (kinds 83-85, SPEC 9, issue 10, docs/swap-offers.md): the order book of
/// swaps against Bitcoin and Ethereum lives on chain. swap_offer_post escrows a maker's native side,
/// swap_offer_take turns a native side into the initiator's htlc-module HTLC on the spot and records
/// the terms both engines run, swap_offer_cancel returns the escrow; open offers expire at their
/// height in the begin-block hook. No other chain's client runs in it.
/// </summary>
public sealed class SwapOffersModule : ChainModule
{
    public const string ModuleName = "swapoffers";

    /// <summary>Event types of the swapoffers module (a take also emits the htlc module's htlc_locked).</summary>
    public static class Events
    {
        public const string Posted = "swap_offer_posted";
        public const string Taken = "swap_offer_taken";
        public const string Cancelled = "swap_offer_cancelled";
        public const string Expired = "swap_offer_expired";
    }

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => SwapOfferKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } = [new SwapOfferPostHandler(), new SwapOfferTakeHandler(), new SwapOfferCancelHandler()];

    public override IReadOnlyList<string> EventTypes { get; } = [Events.Posted, Events.Taken, Events.Cancelled, Events.Expired];

    /// <summary>
    /// Before the block's transactions: closes every open offer whose expiry height has come and
    /// returns its escrow to the maker, so from its expiry height on no take can find it open.
    /// </summary>
    public override void BeginBlock(BlockHookContext context)
    {
        var due = SwapOfferState.ReadDue(context.State, context.Block.Height);
        if (due.Count == 0) return;
        var offers = new SwapOfferState(context.State);
        var accounts = new AccountState(context.State);
        foreach (var id in due)
        {
            var offer = offers.Get(id)!;
            var refunded = offer.Escrowed;
            offers.Close(offer, offer with { Status = SwapOfferStatus.Expired, ClosedHeight = context.Block.Height });
            if (refunded > 0) accounts.Credit(offer.Maker, offer.NativeAsset, refunded);
            context.Emit(ChainEvent.Of(Events.Expired, ("id", Hex.Encode(id)), ("maker", offer.Maker.ToString()), ("asset", offer.NativeAsset),
                ("refunded", ChainEvent.Units(refunded))));
        }
    }

    /// <summary>The module's typed read API over a state reader (JSON-RPC maps its records).</summary>
    public static SwapOfferQueries Queries(IStateReader state) => new(state);
}
