using ExCraft.Chain.Execution;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>
/// htlc_refund (kind 82): from its timeout height on, returns an open HTLC's amount to its refund
/// address. Anyone may submit it, for the same reason as a claim: the funds have one possible destination.
/// </summary>
public sealed class HtlcRefundHandler : TxHandler<HtlcRefundPayload>
{
    protected override string? CheckStateless(HtlcRefundPayload p) => p.Id.Length != HtlcRules.IdLength ? $"htlc id must be {HtlcRules.IdLength} bytes, got {p.Id.Length}" : null;

    protected override IReadOnlyList<AssetAmount> Spend(HtlcRefundPayload p) => [];

    protected override void Apply(TxContext c, HtlcRefundPayload p)
    {
        var htlcs = new HtlcState(c.State);
        var htlc = htlcs.Get(p.Id) ?? throw new TransactionFailedException($"htlc {Hex.Encode(p.Id)} does not exist");
        if (htlc.Status != HtlcStatus.Locked) throw new TransactionFailedException($"htlc {Hex.Encode(p.Id)} is already {htlc.Status.ToString().ToLowerInvariant()}");
        if (c.Block.Height < htlc.TimeoutHeight)
            throw new TransactionFailedException($"htlc {Hex.Encode(p.Id)} cannot be refunded before its timeout height {htlc.TimeoutHeight} (block {c.Block.Height})");
        htlcs.Settle(htlc with { Status = HtlcStatus.Refunded, SettledHeight = c.Block.Height });
        c.Accounts.Credit(htlc.RefundAddress, htlc.Asset, htlc.Amount);
        // Sender, recipient and refund address are named so all three see the refund in their history and subscriptions.
        c.Emit(ChainEvent.Of(HtlcModule.Events.Refunded, ("id", Hex.Encode(p.Id)), ("sender", htlc.Sender.ToString()), ("recipient", htlc.Recipient.ToString()),
            ("refundAddress", htlc.RefundAddress.ToString()),
            ("asset", htlc.Asset), ("amount", ChainEvent.Units(htlc.Amount)), ("refunder", c.Sender.ToString())));
    }
}
