using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>htlc_lock (kind 80): moves the amount from the sender's balance into the module's escrow under a new HTLC.</summary>
public sealed class HtlcLockHandler : TxHandler<HtlcLockPayload>
{
    protected override string? CheckStateless(HtlcLockPayload p)
    {
        if (!AssetSymbol.IsValid(p.Asset, out var error)) return error;
        if (p.Amount == 0) return "htlc amount must be greater than zero";
        if (p.HashLock.Length != HtlcRules.HashLength) return $"htlc hash lock must be {HtlcRules.HashLength} bytes (SHA-256), got {p.HashLock.Length}";
        return p.TimeoutHeight == 0 ? "htlc timeout height must be greater than zero" : null;
    }

    protected override IReadOnlyList<AssetAmount> Spend(HtlcLockPayload p) => [new(p.Asset, p.Amount)];

    protected override void Apply(TxContext c, HtlcLockPayload p)
    {
        if (p.TimeoutHeight <= c.Block.Height)
            throw new TransactionFailedException($"htlc timeout height {p.TimeoutHeight} must be above the lock's block height {c.Block.Height}");
        if (c.Accounts.GetAsset(p.Asset) is null) throw new TransactionFailedException($"unknown asset {p.Asset}");
        // The executor advances the nonce before the payload runs, so the lock's own nonce is one below.
        var id = HtlcRules.IdOf(c.Sender, c.Accounts.GetNonce(c.Sender) - 1);
        var htlcs = new HtlcState(c.State);
        if (htlcs.Get(id) is not null) throw new TransactionFailedException($"htlc {Hex.Encode(id)} already exists");
        c.Accounts.Debit(c.Sender, p.Asset, p.Amount);
        htlcs.Create(new HtlcRecord(id, c.Sender, p.Recipient, p.Asset, p.Amount, p.HashLock, p.TimeoutHeight, p.RefundAddress,
            c.Block.Height, HtlcStatus.Locked, null, 0));
        c.Emit(ChainEvent.Of(HtlcModule.Events.Locked, ("id", Hex.Encode(id)), ("sender", c.Sender.ToString()), ("recipient", p.Recipient.ToString()),
            ("asset", p.Asset), ("amount", ChainEvent.Units(p.Amount)), ("hashLock", Hex.Encode(p.HashLock)),
            ("timeoutHeight", p.TimeoutHeight.ToString(CultureInfo.InvariantCulture)), ("refundAddress", p.RefundAddress.ToString())));
    }
}
