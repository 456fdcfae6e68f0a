using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>Where an offer stands: open until taken, cancelled by its maker or expired, then closed for good.</summary>
public enum SwapOfferStatus : byte
{
    Open = 0,
    Taken = 1,
    Cancelled = 2,
    Expired = 3,
}

/// <summary>
/// One swap offer as stored: the maker's terms from the post, its status, and once taken the taker,
/// the taker's outside key and the hash lock (the taker's when the maker gives the outside side).
/// ClosedHeight is the height it was taken, cancelled or expired at (0 while open).
/// </summary>
public sealed record SwapOfferRecord(
    byte[] Id,
    Address Maker,
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
    ulong ExpiryHeight,
    ulong PostHeight,
    SwapOfferStatus Status,
    Address? Taker,
    byte[] TakerOutsideKey,
    ulong ClosedHeight)
{
    /// <summary>The native amount this offer holds in the module's escrow: the maker's, while open and the maker gives the native side.</summary>
    public UInt128 Escrowed => Status == SwapOfferStatus.Open && Side == SwapOfferSide.MakerGivesNative ? NativeAmount : UInt128.Zero;

    /// <summary>The one who gives the native asset, chose the secret and whose native HTLC the take made.</summary>
    public Address? Initiator => Side == SwapOfferSide.MakerGivesNative ? Maker : Taker;

    /// <summary>The one who locks on the outside chain.</summary>
    public Address? Participant => Side == SwapOfferSide.MakerGivesNative ? Taker : Maker;

    /// <summary>The terms both engines start from; null until the offer is taken.</summary>
    public SwapOfferTerms? Terms()
    {
        if (Status != SwapOfferStatus.Taken || Taker is not { } taker) return null;
        var makerIsInitiator = Side == SwapOfferSide.MakerGivesNative;
        return new SwapOfferTerms(Id, HashLock, makerIsInitiator ? Maker : taker, makerIsInitiator ? taker : Maker,
            Id, NativeAsset, NativeAmount, ClosedHeight, ClosedHeight + LockBlocks,
            OutsideChain, OutsideAsset, OutsideAmount,
            makerIsInitiator ? MakerOutsideKey : TakerOutsideKey, makerIsInitiator ? TakerOutsideKey : MakerOutsideKey, OutsideLockSeconds);
    }

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeBytes(Maker.ToBytes()), Rlp.EncodeUInt((byte)Side), Rlp.EncodeString(NativeAsset), Rlp.EncodeUInt(NativeAmount),
        Rlp.EncodeString(OutsideChain), Rlp.EncodeString(OutsideAsset), Rlp.EncodeUInt(OutsideAmount), Rlp.EncodeBytes(MakerOutsideKey),
        Rlp.EncodeBytes(HashLock), Rlp.EncodeUInt(LockBlocks), Rlp.EncodeUInt(OutsideLockSeconds), Rlp.EncodeUInt(ExpiryHeight), Rlp.EncodeUInt(PostHeight),
        Rlp.EncodeUInt((byte)Status), Rlp.EncodeBytes(Taker is { } t ? t.ToBytes() : []), Rlp.EncodeBytes(TakerOutsideKey), Rlp.EncodeUInt(ClosedHeight));

    public static SwapOfferRecord Decode(byte[] id, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(17, "swap offer record");
        var side = f[1].AsUInt64() switch
        {
            0 => SwapOfferSide.MakerGivesNative,
            1 => SwapOfferSide.MakerGivesOutside,
            var v => throw new RlpException($"swap offer side {v} is unknown"),
        };
        var status = f[13].AsUInt64() switch
        {
            0 => SwapOfferStatus.Open,
            1 => SwapOfferStatus.Taken,
            2 => SwapOfferStatus.Cancelled,
            3 => SwapOfferStatus.Expired,
            var v => throw new RlpException($"swap offer status {v} is unknown"),
        };
        var taker = f[14].Bytes;
        return new SwapOfferRecord(id, new Address(f[0].AsFixed(Address.Length, "maker")), side, f[2].AsUtf8(), f[3].AsUInt128(),
            f[4].AsUtf8(), f[5].AsUtf8(), f[6].AsUInt128(), f[7].Bytes, f[8].Bytes, f[9].AsUInt64(), f[10].AsUInt64(), f[11].AsUInt64(), f[12].AsUInt64(),
            status, taker.Length == 0 ? null : new Address(f[14].AsFixed(Address.Length, "taker")), f[15].Bytes, f[16].AsUInt64());
    }
}
