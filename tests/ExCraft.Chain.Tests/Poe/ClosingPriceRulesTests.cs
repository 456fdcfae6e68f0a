using ExCraft.Chain.Modules.Poe;
using ExCraft.Core;

namespace ExCraft.Chain.Tests.Poe;

/// <summary>The closing-price rule of SPEC 6: direct, through one intermediate, carried from an earlier epoch, unpriceable; and which trade is "last".</summary>
public sealed class ClosingPriceRulesTests
{
    private const string EXT = "EXT";
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly Dictionary<string, byte> Assets = new(StringComparer.Ordinal) { [EXT] = 18, ["GOLD"] = 6, ["USD"] = 6, ["ORE"] = 2 };

    private static MarketTally Traded(string b, string q, UInt128 lastPrice, ulong sequence) => MarketTally.Empty(b, q).WithTrade(true, 1, 1, lastPrice, sequence);

    private static Dictionary<string, ClosingPrice> Prices(IReadOnlyList<MarketTally> markets, Func<string, (UInt128, ulong)?>? earlier = null) =>
        ClosingPriceRules.Compute(EXT, 18, Assets, markets, earlier ?? (_ => null)).ToDictionary(p => p.Asset);

    [Fact]
    public void Base_against_ext_takes_the_last_price_and_ext_is_the_reference()
    {
        var p = Prices([Traded("GOLD", EXT, 2 * Ext + 5 * Ext / 10, 7)]);
        Assert.Equal(new ClosingPrice("GOLD", 6, 2 * Ext + 5 * Ext / 10, PriceSource.Direct, "", 0), p["GOLD"]);
        Assert.Equal(new ClosingPrice(EXT, 18, Ext, PriceSource.Reference, "", 0), p[EXT]);
    }

    [Fact]
    public void Ext_as_base_inverts_the_price()
    {
        // EXT/USD at 2 USD per EXT: one USD is 0.5 EXT.
        var p = Prices([Traded(EXT, "USD", 2_000_000, 1)]);
        Assert.Equal(new ClosingPrice("USD", 6, Ext / 2, PriceSource.Direct, "", 0), p["USD"]);
    }

    [Fact]
    public void Of_two_direct_markets_the_one_that_traded_last_wins()
    {
        var p = Prices([Traded("USD", EXT, Ext, 9), Traded(EXT, "USD", 4_000_000, 3)]); // 1 EXT per USD came later than 0.25
        Assert.Equal(Ext, p["USD"].Price);
        p = Prices([Traded("USD", EXT, Ext, 2), Traded(EXT, "USD", 4_000_000, 3)]);
        Assert.Equal(Ext / 4, p["USD"].Price);
    }

    [Fact]
    public void One_intermediate_market_multiplies_the_two_last_prices_and_rounds_once()
    {
        // GOLD/USD at 3 USD, USD/EXT at 1/3 EXT (rounded down in the market: 333333333333333333): GOLD = 3 * that, not 1 EXT.
        var thirdOfExt = Ext / 3;
        var p = Prices([Traded("GOLD", "USD", 3_000_000, 5), Traded("USD", EXT, thirdOfExt, 4)]);
        Assert.Equal(new ClosingPrice("GOLD", 6, 3 * thirdOfExt, PriceSource.Intermediate, "USD", 0), p["GOLD"]);
        // Quote side through the intermediate: ORE (2 decimals) priced from GOLD/ORE at 7 ORE per GOLD, GOLD direct at 2 EXT: ORE = floor(2/7 EXT).
        p = Prices([Traded("GOLD", "ORE", 700, 6), Traded("GOLD", EXT, 2 * Ext, 1)]);
        Assert.Equal(new ClosingPrice("ORE", 2, 2 * Ext / 7, PriceSource.Intermediate, "GOLD", 0), p["ORE"]);
    }

    [Fact]
    public void A_direct_trade_beats_a_later_intermediate_one_and_the_latest_intermediate_leg_wins()
    {
        var p = Prices([Traded("GOLD", EXT, 2 * Ext, 1), Traded("GOLD", "USD", 9_000_000, 8), Traded("USD", EXT, Ext, 7)]);
        Assert.Equal((2 * Ext, PriceSource.Direct), (p["GOLD"].Price, p["GOLD"].Source));
        // ORE has two legs: to GOLD (sequence 4) and to USD (sequence 6); the USD leg is later.
        p = Prices([Traded("ORE", "GOLD", 1_000_000, 4), Traded("ORE", "USD", 2_000_000, 6), Traded("GOLD", EXT, 5 * Ext, 1), Traded("USD", EXT, Ext, 2)]);
        Assert.Equal(new ClosingPrice("ORE", 2, 2 * Ext, PriceSource.Intermediate, "USD", 0), p["ORE"]);
    }

    [Fact]
    public void Two_intermediates_are_not_followed_and_an_intermediate_needs_a_direct_price_this_epoch()
    {
        // ORE/GOLD and GOLD/USD traded, USD/EXT traded: ORE would need two intermediates, and GOLD's own price is through USD, so ORE is not priced this epoch.
        var p = Prices([Traded("ORE", "GOLD", 100, 3), Traded("GOLD", "USD", 2_000_000, 2), Traded("USD", EXT, Ext, 1)],
            a => a == "ORE" ? (Ext / 10, 4) : null);
        Assert.Equal(PriceSource.Intermediate, p["GOLD"].Source);
        Assert.Equal(new ClosingPrice("ORE", 2, Ext / 10, PriceSource.Carried, "", 4), p["ORE"]);
    }

    [Fact]
    public void Without_a_trade_the_latest_earlier_price_is_carried_else_the_asset_is_unpriceable()
    {
        var p = Prices([], a => a == "GOLD" ? (3 * Ext, 11) : null);
        Assert.Equal(new ClosingPrice("GOLD", 6, 3 * Ext, PriceSource.Carried, "", 11), p["GOLD"]);
        Assert.Equal(new ClosingPrice("USD", 6, 0, PriceSource.Unpriceable, "", 0), p["USD"]);
        Assert.Equal(0, (int)p["USD"].Value(123_456_789));
    }

    [Fact]
    public void Value_is_quantity_times_price_over_the_assets_unit_rounded_down()
    {
        var gold = new ClosingPrice("GOLD", 6, 2 * Ext + 5 * Ext / 10, PriceSource.Direct, "", 0);
        Assert.Equal((System.Numerics.BigInteger)(350 * Ext), gold.Value(140_000_000)); // 140 GOLD at 2.5 EXT
        var ore = new ClosingPrice("ORE", 2, 1, PriceSource.Direct, "", 0); // 1 base unit of EXT per whole ORE
        Assert.Equal(System.Numerics.BigInteger.Zero, ore.Value(99)); // 0.99 ORE rounds down to nothing
        Assert.Equal(System.Numerics.BigInteger.One, ore.Value(199));
    }
}
