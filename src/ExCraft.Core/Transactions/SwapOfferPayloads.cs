using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// Posts a swap offer (docs/swap-offers.md): the maker gives NativeAmount of NativeAsset for
/// OutsideAmount of OutsideAsset on OutsideChain (Side MakerGivesNative), or the reverse
/// (MakerGivesOutside). MakerOutsideKey is the maker's key (bitcoin) or address (ethereum) on the
/// outside chain; HashLock is the maker's SHA-256 hash when the maker gives the native side (the
/// maker is then the initiator) and empty otherwise. LockBlocks is the native HTLC's lifetime from
/// the take, OutsideLockSeconds the outside lock's; the offer can be taken below ExpiryHeight.
/// </summary>
[TxPayloadKind(TxKind.SwapOfferPost, "swap_offer_post")]
public sealed record SwapOfferPostPayload(
    SwapOfferSide Side,
    string NativeAsset,
    UInt128 NativeAmount,
    string OutsideChain,
    string OutsideAsset,
    UInt128 OutsideAmount,
    byte[] MakerOutsideKey,
    byte[] HashLock,
    ulong LockBlocks,
    ulong OutsideLockSeconds,
    ulong ExpiryHeight) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt((byte)Side), Rlp.EncodeString(NativeAsset), Rlp.EncodeUInt(NativeAmount),
        Rlp.EncodeString(OutsideChain), Rlp.EncodeString(OutsideAsset), Rlp.EncodeUInt(OutsideAmount), Rlp.EncodeBytes(MakerOutsideKey),
        Rlp.EncodeBytes(HashLock), Rlp.EncodeUInt(LockBlocks), Rlp.EncodeUInt(OutsideLockSeconds), Rlp.EncodeUInt(ExpiryHeight));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Text("makerGives", "maker gives", Side == SwapOfferSide.MakerGivesNative ? "native" : "outside"),
        PayloadField.Asset("nativeAsset", "native asset", NativeAsset), PayloadField.Amount("nativeAmount", "native amount", NativeAmount, NativeAsset),
        PayloadField.Text("outsideChain", "outside chain", OutsideChain), PayloadField.Text("outsideAsset", "outside asset", OutsideAsset),
        PayloadField.Text("outsideAmount", "outside amount (base units)", OutsideAmount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        PayloadField.Bytes("makerOutsideKey", "maker's outside key", MakerOutsideKey), PayloadField.Bytes("hashLock", "hash lock", HashLock),
        PayloadField.Integer("lockBlocks", "native lock blocks", LockBlocks), PayloadField.Integer("outsideLockSeconds", "outside lock seconds", OutsideLockSeconds),
        PayloadField.Integer("expiryHeight", "expiry height", ExpiryHeight),
    ];

    internal static SwapOfferPostPayload Decode(RlpItem item)
    {
        var f = item.ListOf(11, "swap_offer_post payload");
        var side = f[0].AsUInt64() switch
        {
            0 => SwapOfferSide.MakerGivesNative,
            1 => SwapOfferSide.MakerGivesOutside,
            var v => throw new RlpException($"swap offer side {v} is unknown (0 maker gives native, 1 maker gives outside)"),
        };
        return new SwapOfferPostPayload(side, f[1].AsUtf8(), f[2].AsUInt128(), f[3].AsUtf8(), f[4].AsUtf8(), f[5].AsUInt128(), f[6].Bytes, f[7].Bytes,
            f[8].AsUInt64(), f[9].AsUInt64(), f[10].AsUInt64());
    }
}

/// <summary>
/// Takes an open swap offer whole: TakerOutsideKey is the taker's key (bitcoin) or address (ethereum)
/// on the offer's outside chain; HashLock is the taker's SHA-256 hash when the maker gives the
/// outside side (the taker is then the initiator) and empty otherwise.
/// </summary>
[TxPayloadKind(TxKind.SwapOfferTake, "swap_offer_take")]
public sealed record SwapOfferTakePayload(byte[] OfferId, byte[] TakerOutsideKey, byte[] HashLock) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(OfferId), Rlp.EncodeBytes(TakerOutsideKey), Rlp.EncodeBytes(HashLock));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Bytes("offerId", "offer id", OfferId), PayloadField.Bytes("takerOutsideKey", "taker's outside key", TakerOutsideKey),
        PayloadField.Bytes("hashLock", "hash lock", HashLock),
    ];

    internal static SwapOfferTakePayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "swap_offer_take payload");
        return new SwapOfferTakePayload(f[0].AsFixed(SwapOfferRules.IdLength, "offer id"), f[1].Bytes, f[2].Bytes);
    }
}

/// <summary>Cancels the sender's own open swap offer; an escrowed native amount goes back to the maker.</summary>
[TxPayloadKind(TxKind.SwapOfferCancel, "swap_offer_cancel")]
public sealed record SwapOfferCancelPayload(byte[] OfferId) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(OfferId));

    public override IReadOnlyList<PayloadField> Describe() => [PayloadField.Bytes("offerId", "offer id", OfferId)];

    internal static SwapOfferCancelPayload Decode(RlpItem item)
    {
        var f = item.ListOf(1, "swap_offer_cancel payload");
        return new SwapOfferCancelPayload(f[0].AsFixed(SwapOfferRules.IdLength, "offer id"));
    }
}
