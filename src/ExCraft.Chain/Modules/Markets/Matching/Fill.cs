using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// One trade. The buyer pays <see cref="QuoteAmount"/> out of its locked quote and receives
/// <see cref="BaseAmount"/> minus its fee (fee in base); the seller pays <see cref="BaseAmount"/>
/// out of its locked base and receives <see cref="QuoteAmount"/> minus its fee (fee in quote).
/// Which of maker and taker is the buyer follows from <see cref="TakerSide"/>.
/// </summary>
public readonly record struct Fill(
    ulong MakerOrderId,
    ulong TakerOrderId,
    Address Maker,
    Address Taker,
    Side TakerSide,
    UInt128 Price,
    UInt128 BaseAmount,
    UInt128 QuoteAmount,
    UInt128 MakerFee,
    UInt128 TakerFee)
{
    public Address Buyer => TakerSide == Side.Buy ? Taker : Maker;
    public Address Seller => TakerSide == Side.Buy ? Maker : Taker;
    public ulong BuyOrderId => TakerSide == Side.Buy ? TakerOrderId : MakerOrderId;
    public ulong SellOrderId => TakerSide == Side.Buy ? MakerOrderId : TakerOrderId;
    /// <summary>Fee the buyer pays, in base.</summary>
    public UInt128 BuyerFee => TakerSide == Side.Buy ? TakerFee : MakerFee;
    /// <summary>Fee the seller pays, in quote.</summary>
    public UInt128 SellerFee => TakerSide == Side.Buy ? MakerFee : TakerFee;
}
