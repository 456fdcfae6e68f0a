using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>One trade as stored: both accounts and orders, the taker's side, price, base and quote amounts, each side's fee (buyer's in base, seller's in quote) and the height.</summary>
public sealed record TradeRecord(ulong Id, ulong Height, Address Buyer, Address Seller, ulong BuyOrderId, ulong SellOrderId, bool TakerIsBuyer,
    UInt128 Price, UInt128 BaseAmount, UInt128 QuoteAmount, UInt128 BuyerFee, UInt128 SellerFee) : IStateValue
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Id), Rlp.EncodeUInt(Height), Rlp.EncodeBytes(Buyer.ToBytes()), Rlp.EncodeBytes(Seller.ToBytes()),
        Rlp.EncodeUInt(BuyOrderId), Rlp.EncodeUInt(SellOrderId), Rlp.EncodeBool(TakerIsBuyer), Rlp.EncodeUInt(Price), Rlp.EncodeUInt(BaseAmount),
        Rlp.EncodeUInt(QuoteAmount), Rlp.EncodeUInt(BuyerFee), Rlp.EncodeUInt(SellerFee));

    public static TradeRecord Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(12, "trade");
        return new TradeRecord(f[0].AsUInt64(), f[1].AsUInt64(), new Address(f[2].AsFixed(Address.Length, "buyer")), new Address(f[3].AsFixed(Address.Length, "seller")),
            f[4].AsUInt64(), f[5].AsUInt64(), f[6].AsBool(), f[7].AsUInt128(), f[8].AsUInt128(), f[9].AsUInt128(), f[10].AsUInt128(), f[11].AsUInt128());
    }
}
