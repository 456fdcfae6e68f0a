namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// The state of one swapProgress subscription (ext_subscribe("swapProgress", offerId)): the offer it
/// follows (its native HTLC has the same id), the height its snapshot was read at, and the sequence
/// number of the last message sent. Until the snapshot is queued no change is sent, and a block at or
/// below the snapshot's height is never sent as a change (the snapshot already holds it).
/// </summary>
public sealed class SwapProgressStream(byte[] offerId)
{
    public byte[] OfferId { get; } = offerId;

    /// <summary>Guards the snapshot and the changes, so they are queued once each and in order.</summary>
    public object Gate { get; } = new();

    public bool Active { get; set; }

    public ulong SnapshotHeight { get; set; }

    /// <summary>The last sequence number sent: the snapshot is 0, each change one more.</summary>
    public ulong Sequence { get; set; }
}
