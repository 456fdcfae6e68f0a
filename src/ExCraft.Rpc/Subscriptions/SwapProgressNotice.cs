using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Htlc;
using ExCraft.Chain.Modules.SwapOffers;
using ExCraft.Core.Blocks;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.Methods;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// One change to a swap (an offer and its native HTLC, which share the id) in a committed block, as
/// the swapProgress subscription sends it: <c>{type: "change", sequence, event, height,
/// transactionHash (null for an expiry), preimage (for htlc_claimed), offer, htlc}</c>, where offer
/// and htlc are read back once the block is committed (swapoffers_get and htlc_get shapes; htlc is
/// null until the take or lock). The sequence number is set per subscription when sent.
/// </summary>
public sealed record SwapProgressNotice(byte[] Id, JsonObject Json)
{
    private static readonly HashSet<string> SwapEvents =
    [
        SwapOffersModule.Events.Posted, SwapOffersModule.Events.Taken, SwapOffersModule.Events.Cancelled, SwapOffersModule.Events.Expired,
        HtlcModule.Events.Locked, HtlcModule.Events.Claimed, HtlcModule.Events.Refunded,
    ];

    /// <summary>The block's swap changes in order: begin-block events (expiries) first, then each transaction's.</summary>
    public static IReadOnlyList<SwapProgressNotice> Of(Blockchain chain, Block block, IReadOnlyList<Receipt> receipts)
    {
        var changes = BlockEventOrder.Of(chain, block, receipts, SwapEvents);
        if (changes.Count == 0) return [];
        var state = chain.State;
        var notices = new List<SwapProgressNotice>(changes.Count);
        foreach (var (e, tx) in changes)
        {
            var id = Hex.Decode(e.Get("id")!);
            var json = Body(state, id, block.Height);
            json["type"] = "change";
            json["event"] = e.Type;
            json["height"] = block.Height;
            json["transactionHash"] = tx is null ? null : Hex.Encode(tx);
            json["preimage"] = e.Get("preimage");
            notices.Add(new SwapProgressNotice(id, json));
        }
        return notices;
    }

    /// <summary>The first message of a subscription: the offer and its native HTLC as they stand at the head.</summary>
    public static JsonObject Snapshot(Chain.State.IStateReader state, byte[] offerId, ulong headHeight)
    {
        var json = Body(state, offerId, headHeight);
        json["type"] = "snapshot";
        json["height"] = headHeight;
        return json;
    }

    /// <summary>The offer's current record, or null when there is no offer under this id.</summary>
    public static SwapOfferRecord? Offer(Chain.State.IStateReader state, byte[] offerId) => SwapOffersModule.Queries(state).Get(offerId);

    private static JsonObject Body(Chain.State.IStateReader state, byte[] id, ulong headHeight) => new()
    {
        ["offerId"] = Hex.Encode(id),
        ["offer"] = Offer(state, id) is { } offer ? SwapOfferMethods.Offer(offer) : null,
        ["htlc"] = HtlcModule.Queries(state).Get(id) is { } htlc ? HtlcMethods.Htlc(htlc, headHeight) : null,
    };
}
