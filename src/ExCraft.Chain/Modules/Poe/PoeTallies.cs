using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// What one account did in an open epoch, from qualifying trades only: buy and sell counts, the
/// base quantity it traded per base asset (bought plus sold) and the fees it paid per asset. Both
/// lists are kept in ordinal symbol order, so the encoding is canonical.
/// </summary>
public sealed record AccountTally(ulong Buys, ulong Sells, SortedDictionary<string, UInt128> Quantities, SortedDictionary<string, UInt128> Fees)
{
    public static AccountTally Empty() => new(0, 0, new(StringComparer.Ordinal), new(StringComparer.Ordinal));

    public AccountTally WithTrade(bool buy, string baseAsset, UInt128 quantity, string feeAsset, UInt128 fee)
    {
        var quantities = new SortedDictionary<string, UInt128>(Quantities, StringComparer.Ordinal);
        quantities[baseAsset] = Amount.Add(quantities.GetValueOrDefault(baseAsset), quantity);
        var fees = new SortedDictionary<string, UInt128>(Fees, StringComparer.Ordinal);
        if (fee > 0) fees[feeAsset] = Amount.Add(fees.GetValueOrDefault(feeAsset), fee);
        return new AccountTally(buy ? Buys + 1 : Buys, buy ? Sells : Sells + 1, quantities, fees);
    }

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Buys), Rlp.EncodeUInt(Sells), EncodeAmounts(Quantities), EncodeAmounts(Fees));

    public static AccountTally Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(4, "poe account tally");
        return new AccountTally(f[0].AsUInt64(), f[1].AsUInt64(), DecodeAmounts(f[2]), DecodeAmounts(f[3]));
    }

    /// <summary>
    /// The counts and amounts of an encoded tally as plain lists (the epoch end only reads them:
    /// no sorted dictionaries to build per account). Same checks as <see cref="Decode"/>.
    /// </summary>
    public static TallyFigures Figures(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(4, "poe account tally");
        return new TallyFigures(f[0].AsUInt64(), f[1].AsUInt64(), AmountList(f[2]), AmountList(f[3]));
    }

    private static (string Asset, UInt128 Amount)[] AmountList(RlpItem item)
    {
        var items = item.Items;
        var result = new (string, UInt128)[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var p = items[i].ListOf(2, "poe amount");
            result[i] = (p[0].AsUtf8(), p[1].AsUInt128());
        }
        return result;
    }

    private static byte[] EncodeAmounts(SortedDictionary<string, UInt128> amounts) =>
        Rlp.EncodeList(amounts.Select(a => Rlp.EncodeList(Rlp.EncodeString(a.Key), Rlp.EncodeUInt(a.Value))));

    private static SortedDictionary<string, UInt128> DecodeAmounts(RlpItem item)
    {
        var result = new SortedDictionary<string, UInt128>(StringComparer.Ordinal);
        foreach (var pair in item.Items)
        {
            var p = pair.ListOf(2, "poe amount");
            result[p[0].AsUtf8()] = p[1].AsUInt128();
        }
        return result;
    }
}

/// <summary>An account tally as the epoch end reads it: buys, sells, and its (asset, amount) lists of quantities and fees.</summary>
public readonly record struct TallyFigures(ulong Buys, ulong Sells, (string Asset, UInt128 Amount)[] Quantities, (string Asset, UInt128 Amount)[] Fees);

/// <summary>
/// One market's tally in an epoch: qualifying trades, how many the taker bought and sold
/// (the market's buy and sell tallies), base and quote volume, and the market's last qualifying
/// trade (price and the chain-wide observation number that orders trades across markets).
/// </summary>
public sealed record MarketTally(string Base, string Quote, ulong Trades, ulong TakerBuys, ulong TakerSells, UInt128 BaseVolume, UInt128 QuoteVolume,
    UInt128 LastPrice, ulong LastSequence)
{
    public static MarketTally Empty(string baseAsset, string quoteAsset) => new(baseAsset, quoteAsset, 0, 0, 0, 0, 0, 0, 0);

    public MarketTally WithTrade(bool takerIsBuyer, UInt128 baseAmount, UInt128 quoteAmount, UInt128 price, ulong sequence) => this with
    {
        Trades = Trades + 1,
        TakerBuys = takerIsBuyer ? TakerBuys + 1 : TakerBuys,
        TakerSells = takerIsBuyer ? TakerSells : TakerSells + 1,
        BaseVolume = Amount.Add(BaseVolume, baseAmount),
        QuoteVolume = Amount.Add(QuoteVolume, quoteAmount),
        LastPrice = price,
        LastSequence = sequence,
    };

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Base), Rlp.EncodeString(Quote), Rlp.EncodeUInt(Trades), Rlp.EncodeUInt(TakerBuys),
        Rlp.EncodeUInt(TakerSells), Rlp.EncodeUInt(BaseVolume), Rlp.EncodeUInt(QuoteVolume), Rlp.EncodeUInt(LastPrice), Rlp.EncodeUInt(LastSequence));

    public static MarketTally Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(9, "poe market tally");
        return new MarketTally(f[0].AsUtf8(), f[1].AsUtf8(), f[2].AsUInt64(), f[3].AsUInt64(), f[4].AsUInt64(), f[5].AsUInt128(), f[6].AsUInt128(),
            f[7].AsUInt128(), f[8].AsUInt64());
    }
}
