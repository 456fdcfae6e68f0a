using System.CommandLine;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli;

/// <summary>
/// One market as the CLI needs it: the node's market_get object plus both assets' decimals, so
/// amounts are read and written in decimal units of their asset. A price is quote per whole base
/// token (e.g. 1.5 EXT per ORE), held on chain as quote base units; a size is base units of the
/// base asset. Input is checked here against decimals, tick, lot and min notional, so a bad order
/// is a usage error (exit 1) before anything is signed.
/// </summary>
public sealed class MarketInfo
{
    private MarketInfo(JsonObject json, int baseDecimals, int quoteDecimals)
    {
        Json = json;
        Base = json.String("base");
        Quote = json.String("quote");
        BaseDecimals = baseDecimals;
        QuoteDecimals = quoteDecimals;
        TickSize = json.Units("tickSize");
        LotSize = json.Units("lotSize");
        MinNotional = json.Units("minNotional");
        PriceScale = json.Units("priceScale");
    }

    public JsonObject Json { get; }
    public string Base { get; }
    public string Quote { get; }
    public string Pair => MarketPairs.Name(Base, Quote);
    public int BaseDecimals { get; }
    public int QuoteDecimals { get; }
    public UInt128 TickSize { get; }
    public UInt128 LotSize { get; }
    public UInt128 MinNotional { get; }
    public UInt128 PriceScale { get; }
    public bool Active => Json.String("status") == "active";

    /// <summary>The MARKET argument: "BASE/QUOTE", checked while parsing.</summary>
    public static Argument<string> Argument() => new("MARKET")
    {
        Description = "The market as BASE/QUOTE, e.g. ORE/EXT (see 'excraft market list')",
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value.Trim();
            if (!MarketPairs.TryParse(text, out _, out _)) r.AddError($"MARKET: '{text}' is not BASE/QUOTE with two asset symbols, e.g. ORE/EXT");
            return text;
        },
    };

    /// <summary>Loads a listed market; an unlisted one is "not found" (exit 5).</summary>
    public static async Task<MarketInfo> LoadAsync(NodeClient node, string pair) =>
        await node.MarketAsync(pair) is { } json ? await FromAsync(node, json) : throw CliException.NotFound($"unknown market {pair} (see 'excraft market list')");

    public static async Task<MarketInfo> FromAsync(NodeClient node, JsonObject json) =>
        new(json, await node.DecimalsAsync(json.String("base")), await node.DecimalsAsync(json.String("quote")));

    public string FormatPrice(UInt128 units) => Amount.Format(units, QuoteDecimals);
    public string FormatBase(UInt128 units) => Amount.Format(units, BaseDecimals);
    public string FormatQuote(UInt128 units) => Amount.Format(units, QuoteDecimals);

    /// <summary>A price option's text in quote base units: the quote asset's decimals, on the tick grid, not zero.</summary>
    public UInt128 ParsePrice(string option, string text)
    {
        var price = CliOptions.ParseAmount(option, text, QuoteDecimals, Quote);
        if (price == 0) throw CliException.Usage($"{option}: must be greater than zero");
        if (price % TickSize != 0) throw CliException.Usage($"{option}: {text} is not a multiple of the tick size {FormatPrice(TickSize)} {Quote} of {Pair}");
        return price;
    }

    /// <summary>A size option's text in base units of the base asset: its decimals, whole lots, not zero.</summary>
    public UInt128 ParseSize(string option, string text)
    {
        var size = CliOptions.ParseAmount(option, text, BaseDecimals, Base);
        if (size == 0) throw CliException.Usage($"{option}: must be greater than zero");
        if (size % LotSize != 0) throw CliException.Usage($"{option}: {text} is not a multiple of the lot size {FormatBase(LotSize)} {Base} of {Pair}");
        return size;
    }

    /// <summary>A quote budget in quote base units (the quote asset's decimals).</summary>
    public UInt128 ParseQuote(string option, string text)
    {
        var amount = CliOptions.ParseAmount(option, text, QuoteDecimals, Quote);
        return amount != 0 ? amount : throw CliException.Usage($"{option}: must be greater than zero");
    }

    /// <summary>
    /// The engine's min-notional rule (price * size / price scale, rounded down, at least the min
    /// notional, 0 read as 1), checked before signing so the order is not refused on chain after
    /// paying its fee.
    /// </summary>
    public void CheckNotional(UInt128 price, UInt128 size)
    {
        var minimum = MinNotional == 0 ? 1 : MinNotional;
        var notional = (System.Numerics.BigInteger)price * size / PriceScale;
        if (notional < minimum)
            throw CliException.Usage($"the order is worth {FormatQuote((UInt128)notional)} {Quote}, below the minimum notional {FormatQuote(minimum)} {Quote} of {Pair}");
    }

    /// <summary>A fee rate in ppm as a percentage.</summary>
    public static string Rate(ulong ppm) => CommissionRate.Format((uint)Math.Min(ppm, uint.MaxValue));
}
