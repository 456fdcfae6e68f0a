using ExCraft.Chain.Modules.Markets.Matching;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// A listed market in state: its definition, its price scale (10^base decimals, fixed at listing)
/// and the book's counters, which the engine needs to continue exactly after a reload.
/// </summary>
public sealed record MarketRecord(MarketDefinition Definition, UInt128 PriceScale, ulong NextOrderId, ulong NextSequence, UInt128 LastTradePrice, ulong NextTradeId)
{
    public string Base => Definition.Base;

    public string Quote => Definition.Quote;

    public MatchingMode Mode => (MatchingMode)Definition.Mode;

    public MarketRules Rules => new(Definition.TickSize, Definition.LotSize, PriceScale, Definition.MinNotional,
        Definition.MakerFeePpm, Definition.TakerFeePpm, Mode);

    public static MarketRecord Listed(MarketDefinition definition, UInt128 priceScale) => new(definition, priceScale, 1, 1, 0, 1);

    public byte[] Encode() => Rlp.EncodeList(Definition.Encode(), Rlp.EncodeUInt(PriceScale), Rlp.EncodeUInt(NextOrderId), Rlp.EncodeUInt(NextSequence),
        Rlp.EncodeUInt(LastTradePrice), Rlp.EncodeUInt(NextTradeId));

    public static MarketRecord Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(6, "market");
        return new MarketRecord(MarketDefinition.Decode(f[0]), f[1].AsUInt128(), f[2].AsUInt64(), f[3].AsUInt64(), f[4].AsUInt128(), f[5].AsUInt64());
    }
}
