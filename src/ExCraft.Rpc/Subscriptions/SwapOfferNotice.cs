using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.SwapOffers;
using ExCraft.Core.Blocks;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.Methods;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// One swap offer change in a committed block, as the swapOffers subscription sends it:
/// <c>{event, height, transactionHash (null for an expiry), offer}</c>, where offer is the offer as
/// swapoffers_get returns it once the block is committed (with its terms when taken).
/// </summary>
public sealed record SwapOfferNotice(byte[] OfferId, JsonObject Json)
{
    private static readonly HashSet<string> OfferEvents =
        [SwapOffersModule.Events.Posted, SwapOffersModule.Events.Taken, SwapOffersModule.Events.Cancelled, SwapOffersModule.Events.Expired];

    /// <summary>The block's offer changes in order: expiries (begin-block) first, then each transaction's.</summary>
    public static IReadOnlyList<SwapOfferNotice> Of(Blockchain chain, Block block, IReadOnlyList<Receipt> receipts)
    {
        var changes = BlockEventOrder.Of(chain, block, receipts, OfferEvents);
        if (changes.Count == 0) return [];
        var offers = SwapOffersModule.Queries(chain.State);
        var notices = new List<SwapOfferNotice>(changes.Count);
        foreach (var (e, tx) in changes)
        {
            var id = Hex.Decode(e.Get("id")!);
            notices.Add(new SwapOfferNotice(id, new JsonObject
            {
                ["event"] = e.Type,
                ["height"] = block.Height,
                ["transactionHash"] = tx is null ? null : Hex.Encode(tx),
                ["offer"] = offers.Get(id) is { } offer ? SwapOfferMethods.Offer(offer) : null,
            }));
        }
        return notices;
    }
}
