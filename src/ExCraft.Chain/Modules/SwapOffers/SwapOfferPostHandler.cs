using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>
/// swap_offer_post (kind 83): records an open offer; when the maker gives the native side its amount
/// moves from the maker's balance into the module's escrow, so a taken offer is always backed.
/// </summary>
public sealed class SwapOfferPostHandler : TxHandler<SwapOfferPostPayload>
{
    protected override string? CheckStateless(SwapOfferPostPayload p)
    {
        if (!AssetSymbol.IsValid(p.NativeAsset, out var error)) return error;
        if (p.NativeAmount == 0) return "the native amount must be greater than zero";
        if (SwapOfferRules.CheckOutsideAsset(p.OutsideChain, p.OutsideAsset) is { } asset) return asset;
        if (SwapOfferRules.CheckOutsideAmount(p.OutsideChain, p.OutsideAmount) is { } amount) return amount;
        if (SwapOfferRules.CheckOutsideKey(p.OutsideChain, p.MakerOutsideKey, "the maker's") is { } key) return key;
        if (p.Side == SwapOfferSide.MakerGivesNative && p.HashLock.Length != HtlcRules.HashLength)
            return $"the maker gives the native side, so it is the initiator and the offer carries its hash lock: {HtlcRules.HashLength} bytes (SHA-256), got {p.HashLock.Length}";
        if (p.Side == SwapOfferSide.MakerGivesOutside && p.HashLock.Length != 0)
            return "the maker gives the outside side, so the taker is the initiator and brings the hash lock: the offer must not carry one";
        if (p.LockBlocks == 0 || p.LockBlocks > SwapOfferRules.MaxLockBlocks) return $"the native lock must run 1 to {SwapOfferRules.MaxLockBlocks} blocks, got {p.LockBlocks}";
        if (p.OutsideLockSeconds == 0 || p.OutsideLockSeconds > SwapOfferRules.MaxOutsideLockSeconds)
            return $"the outside lock must run 1 to {SwapOfferRules.MaxOutsideLockSeconds} seconds, got {p.OutsideLockSeconds}";
        return p.ExpiryHeight == 0 ? "the offer's expiry height must be greater than zero" : null;
    }

    protected override IReadOnlyList<AssetAmount> Spend(SwapOfferPostPayload p) =>
        p.Side == SwapOfferSide.MakerGivesNative ? [new(p.NativeAsset, p.NativeAmount)] : [];

    protected override void Apply(TxContext c, SwapOfferPostPayload p)
    {
        if (p.ExpiryHeight <= c.Block.Height)
            throw new TransactionFailedException($"the offer's expiry height {p.ExpiryHeight} must be above the post's block height {c.Block.Height}");
        if (c.Accounts.GetAsset(p.NativeAsset) is null) throw new TransactionFailedException($"unknown asset {p.NativeAsset}");
        // The executor advances the nonce before the payload runs, so the post's own nonce is one below.
        var id = SwapOfferRules.IdOf(c.Sender, c.Accounts.GetNonce(c.Sender) - 1);
        var offers = new SwapOfferState(c.State);
        if (offers.Get(id) is not null) throw new TransactionFailedException($"swap offer {Hex.Encode(id)} already exists");
        if (p.Side == SwapOfferSide.MakerGivesNative) c.Accounts.Debit(c.Sender, p.NativeAsset, p.NativeAmount);
        offers.Open(new SwapOfferRecord(id, c.Sender, p.Side, p.NativeAsset, p.NativeAmount, p.OutsideChain, p.OutsideAsset, p.OutsideAmount,
            p.MakerOutsideKey, p.HashLock, p.LockBlocks, p.OutsideLockSeconds, p.ExpiryHeight, c.Block.Height, SwapOfferStatus.Open, null, [], 0));
        c.Emit(ChainEvent.Of(SwapOffersModule.Events.Posted, ("id", Hex.Encode(id)), ("maker", c.Sender.ToString()),
            ("makerGives", SwapOfferText.Side(p.Side)), ("nativeAsset", p.NativeAsset), ("nativeAmount", ChainEvent.Units(p.NativeAmount)),
            ("outsideChain", p.OutsideChain), ("outsideAsset", p.OutsideAsset), ("outsideAmount", ChainEvent.Units(p.OutsideAmount)),
            ("makerOutsideKey", Hex.Encode(p.MakerOutsideKey)), ("hashLock", p.HashLock.Length == 0 ? "" : Hex.Encode(p.HashLock)),
            ("lockBlocks", p.LockBlocks.ToString(CultureInfo.InvariantCulture)), ("outsideLockSeconds", p.OutsideLockSeconds.ToString(CultureInfo.InvariantCulture)),
            ("expiryHeight", p.ExpiryHeight.ToString(CultureInfo.InvariantCulture))));
    }
}
