namespace ExCraft.Chain.Modules.Markets.Matching;

/// <summary>
/// A market's trading parameters, all in base units. A price is quote base units per
/// <see cref="PriceScale"/> base base units (10^base decimals: "quote per whole base token");
/// it must be a multiple of <see cref="TickSize"/>. A size is base base units and must be a
/// multiple of <see cref="LotSize"/>. An order's notional (price * size / PriceScale, rounded
/// down) must reach <see cref="MinNotional"/>. Fee rates are parts per million of the amount
/// received.
/// </summary>
public sealed record MarketRules(
    UInt128 TickSize,
    UInt128 LotSize,
    UInt128 PriceScale,
    UInt128 MinNotional,
    uint MakerFeePpm,
    uint TakerFeePpm,
    MatchingMode Mode = MatchingMode.Continuous)
{
    public const uint PpmDenominator = 1_000_000;

    /// <summary>Throws if the rules cannot work (zero tick, lot or scale, a fee rate above 100%).</summary>
    public void Validate()
    {
        if (TickSize == 0) throw new ArgumentException("tick size must be positive");
        if (LotSize == 0) throw new ArgumentException("lot size must be positive");
        if (PriceScale == 0) throw new ArgumentException("price scale must be positive");
        if (MakerFeePpm > PpmDenominator) throw new ArgumentException("maker fee rate above 1,000,000 ppm");
        if (TakerFeePpm > PpmDenominator) throw new ArgumentException("taker fee rate above 1,000,000 ppm");
        if (Mode is not (MatchingMode.Continuous or MatchingMode.BatchAuction)) throw new ArgumentException("unknown matching mode");
    }
}
