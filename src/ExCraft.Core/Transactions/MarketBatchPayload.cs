using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// Up to <see cref="MaxItems"/> place_order, cancel_order and amend_order payloads in one
/// transaction (docs/markets.md, "Batch"). Checked as a whole at the transaction (one bad item
/// refuses all of it); at the block's end each item takes its place in the block order (cancels,
/// then post-only places, then the rest). Encoded as a list of [kind, payload] pairs.
/// </summary>
[TxPayloadKind(TxKind.BatchOrders, "batch_orders")]
public sealed record BatchOrdersPayload(IReadOnlyList<TxPayload> Items) : TxPayload
{
    /// <summary>At most this many items: enough for a market maker's quote refresh on a few levels, small enough to check in one go.</summary>
    public const int MaxItems = 16;

    /// <summary>Whether a payload of this kind may be an item of a batch (the three order changes; no nesting).</summary>
    public static bool IsItemKind(TxKind kind) => kind is TxKind.PlaceOrder or TxKind.CancelOrder or TxKind.AmendOrder;

    public override byte[] Encode() => Rlp.EncodeList(Items.Select(i => Rlp.EncodeList(Rlp.EncodeUInt((byte)i.Kind), i.Encode())));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Integer("count", "items", (ulong)Items.Count),
        PayloadField.Text("items", "batch", string.Join("; ", Items.Select(i => $"{i.Name} {string.Join(" ", i.Describe().Select(f => f.ValueText))}"))),
    ];

    internal static BatchOrdersPayload Decode(RlpItem item)
    {
        var items = new List<TxPayload>();
        foreach (var entry in item.Items)
        {
            var pair = entry.ListOf(2, "batch_orders item");
            var kind = (TxKind)PlaceOrderPayload.Small(pair[0]);
            // Only the three order changes decode here, so a batch cannot nest a batch or an agent action.
            if (!IsItemKind(kind)) throw new RlpException($"batch_orders item of kind {(byte)kind}: only place_order, cancel_order and amend_order");
            items.Add(TxPayloadCatalog.Decode(kind, pair[1]));
        }
        return new BatchOrdersPayload(items);
    }
}
