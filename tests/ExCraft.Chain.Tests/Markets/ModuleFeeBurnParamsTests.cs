using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// The buyback's chain parameters (set_market_params: authority only, never below 80%) and the
/// buyback on an EXT-base market (EXT/USD: the protocol buys EXT with the USD pool), with exact
/// amounts, supplies and conservation.
/// </summary>
public sealed class ModuleFeeBurnParamsTests : IDisposable
{
    private const string EXT = AssetSymbol.Native;
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private static readonly UInt128 UsdUnit = Amount.FromWhole(1, 6);

    /// <summary>EXT/USD: tick 0.001 USD, lot 0.01 EXT, min notional 0.01 USD, maker 0.1%, taker 0.2%.</summary>
    private static readonly MarketDefinition ExtUsd = new(EXT, Usd, 1_000, Ext / 100, UsdUnit / 100, 1_000, 2_000, 0, false);

    private ModuleTestKit _k = new();

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Only_the_authority_changes_the_parameters_and_never_below_80_percent()
    {
        // Below the floor: refused before the mempool, with the reason; nothing changes.
        var low = _k.Chain.Submit(_k.Chain.Sign(0, new SetMarketParamsPayload(799_999, 50_000), 0));
        Assert.False(low.Accepted);
        Assert.Contains("fee burn share 799999 ppm is below the floor of 800000 ppm (80%)", low.Error);
        var tooWide = _k.Chain.Submit(_k.Chain.Sign(0, new SetMarketParamsPayload(900_000, 600_000), 0));
        Assert.False(tooWide.Accepted);
        Assert.Contains("buyback slippage 600000 ppm is above the maximum", tooWide.Error);

        // Not the authority: the transaction fails in its block, the parameters stay.
        var stranger = _k.One(1, new SetMarketParamsPayload(900_000, 20_000));
        Assert.False(stranger.Success);
        Assert.Contains("only the markets authority", stranger.Error);
        Assert.Equal(MarketParameters.Default, MarketParams.Read(_k.Chain.Chain.State));
        Assert.Null(_k.Chain.Chain.State.Get(MarketsKeys.Parameters)); // defaults are not stored

        var set = _k.One(0, new SetMarketParamsPayload(900_000, 20_000));
        Assert.True(set.Success, set.Error);
        Assert.Equal(new MarketParameters(900_000, 20_000), MarketParams.Read(_k.Chain.Chain.State));
        var evt = Assert.Single(set.Events, e => e.Type == MarketsModule.Events.ParamsSet);
        Assert.Equal(("900000", "20000"), (evt.Get("feeBurnPpm"), evt.Get("buybackSlippagePpm")));

        // 90% of the next EXT fee pool burns: a 400 GOLD trade at 2 EXT leaves 0.8 EXT of maker fee.
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 400 * GoldUnit)).Success);
        Assert.True(_k.One(2, Limit(EXT, true, 2 * Ext, 400 * GoldUnit)).Success);
        var extSupply = _k.Supply(EXT);
        var opsExt = _k.Balance(0, EXT);
        var epoch = ulong.Parse(_k.BlocksUntilFeeBurn()[0].Get("epoch")!);
        Assert.Equal(new FeeBurnRecord(epoch, EXT, 8 * Ext / 10, 72 * Ext / 100, 72 * Ext / 100, 8 * Ext / 100, 0), _k.Queries.FeeBurns(epoch)[0]);
        Assert.Equal(extSupply - 72 * Ext / 100, _k.Supply(EXT));
        Assert.Equal(opsExt + 8 * Ext / 100, _k.Balance(0, EXT));
    }

    [Fact]
    public void A_genesis_with_parameters_starts_with_them_in_state()
    {
        _k.Dispose();
        _k = new ModuleTestKit(adjustGenesis: g => g with { Markets = g.Markets with { } });
        Assert.Equal(MarketParameters.Default, MarketParams.Read(_k.Chain.Chain.State));
        _k.Dispose();
        _k = new ModuleTestKit(adjustGenesis: g => g with { Markets = g.Markets with { Parameters = new MarketParameters(1_000_000, 0) } });
        Assert.Equal(new MarketParameters(1_000_000, 0), MarketParams.Read(_k.Chain.Chain.State));
    }

    [Fact]
    public void A_fee_asset_with_only_an_ext_base_market_buys_ext_there_and_the_ext_is_burned()
    {
        _k.Dispose();
        _k = new ModuleTestKit(adjustGenesis: g => g with { Markets = new MarketsGenesis(g.Markets.Authority, [.. g.Markets.Markets, ExtUsd]) });
        // The ask the protocol will buy from (2.05 USD, inside the 5% bound above the last price of 2 USD).
        Assert.True(_k.One(3, new PlaceOrderPayload(EXT, Usd, 1, 0, 0, 2_050 * UsdUnit / 1000, Ext, 0, 0, 0, 0)).Success);
        // 100 EXT at 2 USD: the seller's maker fee 0.2 USD, the buyer's taker fee 0.2 EXT.
        Assert.True(_k.One(1, new PlaceOrderPayload(EXT, Usd, 1, 0, 0, 2 * UsdUnit, 100 * Ext, 0, 0, 0, 0)).Success);
        Assert.True(_k.One(2, new PlaceOrderPayload(EXT, Usd, 0, 0, 0, 2 * UsdUnit, 100 * Ext, 0, 0, 0, 0)).Success);
        Assert.Equal([(EXT, 2 * Ext / 10), (Usd, 2 * UsdUnit / 10)], _k.Queries.FeePools().ToList());
        var (extSupply, usdSupply) = (_k.Supply(EXT), _k.Supply(Usd));
        var (opsExt, opsUsd, sellerUsd) = (_k.Balance(0, EXT), _k.Balance(0, Usd), _k.Balance(3, Usd));

        var burns = _k.BlocksUntilFeeBurn();
        var epoch = ulong.Parse(burns[0].Get("epoch")!);
        var records = _k.Queries.FeeBurns(epoch);
        Assert.Equal(new FeeBurnRecord(epoch, EXT, 2 * Ext / 10, 16 * Ext / 100, 16 * Ext / 100, 4 * Ext / 100, 0), records[0]);
        // USD: 80% of 0.2 = 0.16 USD; at the 2.1 USD bound it affords 7 lots (0.147 USD); they fill at the ask's 2.05:
        // 0.1435 USD spent, 0.07 EXT less the 0.2% taker fee (0.00014 EXT) bought and burned, 0.0165 USD unspent back to the pool.
        var bought = 7 * Ext / 100 - 14 * Ext / 100_000;
        Assert.Equal(new FeeBurnRecord(epoch, Usd, 200_000, 143_500, bought, 40_000, 16_500), records[1]);
        Assert.Equal(2, records.Count);
        var usdEvent = Assert.Single(burns, e => e.Get("asset") == Usd);
        Assert.Equal((ChainEvent.Units(bought), "143500", "16500"), (usdEvent.Get("burned"), usdEvent.Get("spent"), usdEvent.Get("kept")));

        Assert.Equal(extSupply - 16 * Ext / 100 - bought, _k.Supply(EXT));
        Assert.Equal(usdSupply, _k.Supply(Usd)); // USD changes hands, it is not burned
        Assert.Equal(opsExt + 4 * Ext / 100, _k.Balance(0, EXT));
        Assert.Equal(opsUsd + 40_000, _k.Balance(0, Usd));
        Assert.Equal(sellerUsd + 143_500 - 144, _k.Balance(3, Usd)); // the ask's maker fee: 0.1% of 0.1435 USD, rounded up
        Assert.Equal(UInt128.Zero, _k.Chain.Balance(FeeBurn.BuybackAccount, EXT));
        Assert.Equal(UInt128.Zero, _k.Chain.Balance(FeeBurn.BuybackAccount, Usd));
        Assert.Equal([(EXT, 14 * Ext / 100_000), (Usd, (UInt128)(16_500 + 144))], _k.Queries.FeePools().ToList());
        Assert.Equal(93 * Ext / 100, _k.Queries.OpenOrders(Accounts[3]).Single().Order.RemainingSize); // the ask's rest still rests

        // Conservation of USD: balances + locked + fee pool = supply.
        var state = _k.Chain.Chain.State;
        var balances = Accounts.Aggregate(UInt128.Zero, (sum, a) => sum + AccountState.ReadBalance(state, a, Usd));
        Assert.Equal(_k.Supply(Usd), balances + MarketsState.ReadTotalLocked(state, Usd) + MarketsState.ReadFeePool(state, Usd));
    }

    [Fact]
    public void With_both_an_ext_quote_and_an_ext_base_market_the_ext_quote_one_is_used()
    {
        _k.Dispose();
        // EXT/GOLD beside GOLD/EXT: tick 0.000001 GOLD, lot 0.01 EXT, min notional 0.01 GOLD.
        var extGold = new MarketDefinition(EXT, Gold, 1, Ext / 100, GoldUnit / 100, 1_000, 2_000, 0, false);
        _k = new ModuleTestKit(adjustGenesis: g => g with { Markets = new MarketsGenesis(g.Markets.Authority, [.. g.Markets.Markets, extGold]) });
        Assert.True(_k.One(3, Limit(EXT, true, 1_950 * Ext / 1000, 1 * GoldUnit)).Success); // GOLD/EXT bid the sell would hit
        Assert.True(_k.One(3, new PlaceOrderPayload(EXT, Gold, 1, 0, 0, GoldUnit / 2, Ext, 0, 0, 0, 0)).Success); // EXT/GOLD ask the buy would hit
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 400 * GoldUnit)).Success);
        Assert.True(_k.One(2, Limit(EXT, true, 2 * Ext, 400 * GoldUnit)).Success);
        // EXT/GOLD trades too (at 0.4 GOLD, below the ask), so both markets have a last price.
        Assert.True(_k.One(1, new PlaceOrderPayload(EXT, Gold, 1, 0, 0, 4 * GoldUnit / 10, Ext, 0, 0, 0, 0)).Success);
        Assert.True(_k.One(2, new PlaceOrderPayload(EXT, Gold, 0, 0, 0, 4 * GoldUnit / 10, Ext, 0, 0, 0, 0)).Success);
        var (goldExtTrades, extGoldTrades) = (_k.Queries.Market(Gold, EXT)!.NextTradeId, _k.Queries.Market(EXT, Gold)!.NextTradeId);

        var epoch = ulong.Parse(_k.BlocksUntilFeeBurn()[0].Get("epoch")!);
        var gold = Assert.Single(_k.Queries.FeeBurns(epoch), r => r.Asset == Gold);
        Assert.True(gold.Spent > 0 && gold.Burned > 0, gold.ToString());
        Assert.Equal(goldExtTrades + 1, _k.Queries.Market(Gold, EXT)!.NextTradeId); // the sell on GOLD/EXT
        Assert.Equal(extGoldTrades, _k.Queries.Market(EXT, Gold)!.NextTradeId); // no buy on EXT/GOLD
        Assert.Equal(Ext, _k.Queries.OpenOrders(Accounts[3]).Single(o => o.Base == EXT).Order.RemainingSize);
    }
}
