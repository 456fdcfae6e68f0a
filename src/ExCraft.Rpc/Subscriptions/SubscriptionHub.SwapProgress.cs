using System.Text.Json.Nodes;
using ExCraft.Chain.Execution;
using ExCraft.Core.Blocks;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// The swapProgress stream (docs/swap-offers.md "Swap progress stream"): one offer and its native
/// HTLC, a snapshot after the subscribe response, then every change in block order, each with the
/// block height and a per-subscription sequence number. A slow client is dropped with a resync
/// notice like every other subscription (WebSocketSession's bounded queue).
/// </summary>
public sealed partial class SubscriptionHub
{
    private JsonNode SubscribeSwapProgress(RpcParams p, WebSocketSession session)
    {
        var offerId = p.Hash(1, "offer id");
        if (SwapProgressNotice.Offer(chain!.State, offerId) is null)
            throw new RpcException(RpcErrorCodes.InvalidParams, $"no swap offer {Hex.Encode(offerId)}");
        var stream = new SwapProgressStream(offerId);
        var id = session.AddSubscription(new Subscription(NextId(), Subscription.SwapProgress, null, offerId, Progress: stream));
        session.AfterResponse(() => ActivateSwapProgress(session, id, stream));
        return id;
    }

    private void ActivateSwapProgress(WebSocketSession session, string id, SwapProgressStream stream)
    {
        lock (stream.Gate)
        {
            if (!session.Has(id)) return;
            // The head is read before the state: the state may be a block newer, never older, so no change is lost
            // (a change of that newer block is then sent once more, after a snapshot that already shows it).
            var head = chain!.Head.Height;
            var snapshot = SwapProgressNotice.Snapshot(chain.State, stream.OfferId, head);
            snapshot["sequence"] = 0;
            session.Notify(id, snapshot);
            stream.SnapshotHeight = head;
            stream.Active = true;
        }
    }

    private static void NotifySwapProgress(WebSocketSession session, Subscription subscription, Block block, IReadOnlyList<SwapProgressNotice> changes)
    {
        var stream = subscription.Progress!;
        lock (stream.Gate)
        {
            if (!stream.Active || block.Height <= stream.SnapshotHeight) return;
            foreach (var change in changes)
            {
                if (!change.Id.AsSpan().SequenceEqual(stream.OfferId)) continue;
                var json = (JsonObject)change.Json.DeepClone();
                json["sequence"] = ++stream.Sequence;
                session.Notify(subscription.Id, json);
            }
        }
    }

    private IReadOnlyList<SwapProgressNotice> SwapProgressChanges(Block block, IReadOnlyList<Receipt> receipts) =>
        SwapProgressNotice.Of(chain!, block, receipts);
}
