using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Genesis;

/// <summary>The markets module's genesis state: the governance authority (Address.Zero: none) and the markets listed at genesis.</summary>
public sealed record MarketsGenesis(Address Authority, IReadOnlyList<MarketDefinition> Markets)
{
    public static readonly MarketsGenesis None = new(Address.Zero, []);

    /// <summary>The fee buyback parameters ("fee_burn_ppm", "buyback_slippage_ppm"); the defaults when the section leaves them out.</summary>
    public MarketParameters Parameters { get; init; } = MarketParameters.Default;
}

/// <summary>
/// "modules": {"markets": {"authority": "ex1...", "markets": [{"base": "GOLD", "quote": "EXT",
/// "tick_size": "0.001", "lot_size": "0.01", "min_notional": "1", "maker_fee_ppm": 1000,
/// "taker_fee_ppm": 2000, "status": "active", "mode": "continuous"}]}}. Tick size and min notional
/// are quote token amounts, lot size a base token amount (decimal strings, as balances). Absent,
/// there is no authority and no market. Optional "fee_burn_ppm" (default 800000, at least 800000,
/// at most 1000000) and "buyback_slippage_ppm" (default 50000, at most 500000) set the buyback.
/// </summary>
public static class MarketsGenesisSection
{
    public const string Name = "markets";

    public static MarketsGenesis Read(JsonElement? section, IReadOnlyList<GenesisAsset> assets)
    {
        if (section is not { } s) return MarketsGenesis.None;
        var decimals = assets.GroupBy(a => a.Symbol).ToDictionary(g => g.Key, g => (int)g.First().Decimals);
        int DecimalsOf(string symbol) => decimals.TryGetValue(symbol, out var d) ? d : throw new FormatException($"market asset {symbol} is not a genesis asset");
        var authority = s.Or("authority", e => Address.Parse(JsonFields.Text(e)), Address.Zero);
        var markets = s.Or("markets", e => e.EnumerateArray().ToList(), []).Select(m =>
        {
            var baseAsset = m.Field("base", JsonFields.Text);
            var quoteAsset = m.Field("quote", JsonFields.Text);
            var market = new MarketDefinition(baseAsset, quoteAsset,
                m.Field("tick_size", e => Amount.Parse(JsonFields.Text(e), DecimalsOf(quoteAsset))),
                m.Field("lot_size", e => Amount.Parse(JsonFields.Text(e), DecimalsOf(baseAsset))),
                m.Or("min_notional", e => Amount.Parse(JsonFields.Text(e), DecimalsOf(quoteAsset)), UInt128.Zero),
                m.Field("maker_fee_ppm", e => e.GetUInt32()),
                m.Field("taker_fee_ppm", e => e.GetUInt32()),
                m.Or("mode", e => JsonFields.Text(e) switch { "continuous" => (byte)0, "batch" => (byte)1, var x => throw new FormatException($"unknown market mode \"{x}\"") }, (byte)0),
                m.Or("status", e => JsonFields.Text(e) switch { "active" => false, "halted" => true, var x => throw new FormatException($"unknown market status \"{x}\"") }, false),
                m.Or("pool", e => e.GetUInt64(), 0UL)); // pool scope: 0 (absent) is a global market
            if (market.Check() is { } error) throw new FormatException($"market {market.Pair}: {error}");
            return market;
        }).ToList();
        if (markets.Select(m => m.Pair).Distinct().Count() != markets.Count) throw new FormatException("a market is listed twice");
        var parameters = new MarketParameters(s.Or("fee_burn_ppm", e => e.GetUInt32(), MarketParameters.Default.FeeBurnPpm),
            s.Or("buyback_slippage_ppm", e => e.GetUInt32(), MarketParameters.Default.BuybackSlippagePpm));
        if (parameters.Check() is { } parametersError) throw new FormatException($"markets: {parametersError}");
        return new MarketsGenesis(authority, markets) { Parameters = parameters };
    }

    /// <summary>
    /// The canonical bytes the genesis hash covers: rlp([authority, [market...]]), plus a third item
    /// [fee_burn_ppm, buyback_slippage_ppm] only when the parameters are not the defaults, so
    /// genesis files without them keep their hash.
    /// </summary>
    public static byte[] Encode(GenesisConfig g) => g.Markets.Parameters.IsDefault
        ? Rlp.EncodeList(Rlp.EncodeBytes(g.Markets.Authority.ToBytes()), Rlp.EncodeList(g.Markets.Markets.Select(m => m.Encode())))
        : Rlp.EncodeList(Rlp.EncodeBytes(g.Markets.Authority.ToBytes()), Rlp.EncodeList(g.Markets.Markets.Select(m => m.Encode())), g.Markets.Parameters.Encode());

    public static JsonObject Write(GenesisConfig g)
    {
        var decimals = g.Assets.ToDictionary(a => a.Symbol, a => (int)a.Decimals);
        var json = new JsonObject();
        if (g.Markets.Authority != Address.Zero) json["authority"] = g.Markets.Authority.ToString();
        json["markets"] = new JsonArray(g.Markets.Markets.Select(m => (JsonNode)new JsonObject
        {
            ["base"] = m.Base, ["quote"] = m.Quote,
            ["tick_size"] = Amount.Format(m.TickSize, decimals[m.Quote]), ["lot_size"] = Amount.Format(m.LotSize, decimals[m.Base]),
            ["min_notional"] = Amount.Format(m.MinNotional, decimals[m.Quote]),
            ["maker_fee_ppm"] = m.MakerFeePpm, ["taker_fee_ppm"] = m.TakerFeePpm,
            ["status"] = m.Halted ? "halted" : "active", ["mode"] = m.Mode == 0 ? "continuous" : "batch",
        }.WithPoolScope(m.Pool)).ToArray());
        if (!g.Markets.Parameters.IsDefault)
        {
            json["fee_burn_ppm"] = g.Markets.Parameters.FeeBurnPpm;
            json["buyback_slippage_ppm"] = g.Markets.Parameters.BuybackSlippagePpm;
        }
        return json;
    }

    // A scoped market's pool id; global markets write no "pool" field, as before.
    private static JsonObject WithPoolScope(this JsonObject market, ulong pool)
    {
        if (pool != 0) market["pool"] = pool;
        return market;
    }
}
