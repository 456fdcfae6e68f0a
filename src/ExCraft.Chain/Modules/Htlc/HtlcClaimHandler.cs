using System.Security.Cryptography;
using ExCraft.Chain.Execution;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>
/// htlc_claim (kind 81): pays an open HTLC to its recipient when SHA-256(preimage) is its hash lock
/// and the block is below its timeout height. Anyone may submit it: the funds can only go to the
/// recipient, and a relayer (or the swap's other side) can finish a swap for a recipient without EXT for fees.
/// </summary>
public sealed class HtlcClaimHandler : TxHandler<HtlcClaimPayload>
{
    protected override string? CheckStateless(HtlcClaimPayload p)
    {
        if (p.Id.Length != HtlcRules.IdLength) return $"htlc id must be {HtlcRules.IdLength} bytes, got {p.Id.Length}";
        return p.Preimage.Length != HtlcRules.PreimageLength ? $"htlc preimage must be exactly {HtlcRules.PreimageLength} bytes, got {p.Preimage.Length}" : null;
    }

    protected override IReadOnlyList<AssetAmount> Spend(HtlcClaimPayload p) => [];

    protected override void Apply(TxContext c, HtlcClaimPayload p)
    {
        var htlcs = new HtlcState(c.State);
        var htlc = htlcs.Get(p.Id) ?? throw new TransactionFailedException($"htlc {Hex.Encode(p.Id)} does not exist");
        if (htlc.Status != HtlcStatus.Locked) throw new TransactionFailedException($"htlc {Hex.Encode(p.Id)} is already {htlc.Status.ToString().ToLowerInvariant()}");
        if (c.Block.Height >= htlc.TimeoutHeight)
            throw new TransactionFailedException($"htlc {Hex.Encode(p.Id)} timed out at height {htlc.TimeoutHeight}; it can only be refunded");
        if (!SHA256.HashData(p.Preimage).AsSpan().SequenceEqual(htlc.HashLock))
            throw new TransactionFailedException($"preimage does not match the hash lock of htlc {Hex.Encode(p.Id)}");
        htlcs.Settle(htlc with { Status = HtlcStatus.Claimed, Preimage = p.Preimage, SettledHeight = c.Block.Height });
        c.Accounts.Credit(htlc.Recipient, htlc.Asset, htlc.Amount);
        // Sender and recipient are named so both see the claim in their history and accountEvents subscriptions.
        c.Emit(ChainEvent.Of(HtlcModule.Events.Claimed, ("id", Hex.Encode(p.Id)), ("sender", htlc.Sender.ToString()), ("recipient", htlc.Recipient.ToString()), ("asset", htlc.Asset),
            ("amount", ChainEvent.Units(htlc.Amount)), ("preimage", Hex.Encode(p.Preimage)), ("claimer", c.Sender.ToString())));
    }
}
