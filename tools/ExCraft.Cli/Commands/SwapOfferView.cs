using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Cli.Commands;

/// <summary>The human views of swap offers: a table of a page, and the fields (with the terms) of one offer.</summary>
public static class SwapOfferView
{
    public static void Page(CliOutput output, JsonObject page)
    {
        var offers = page["offers"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        if (offers.Count == 0) output.Line("no swap offers");
        else output.Table(["id", "maker gives", "native", "outside", "status", "expiry"], offers.Select(o => (IReadOnlyList<string>)
            [o.String("id"), o.String("makerGives"), Native(o), Outside(o), o.String("status"), Integer(o.UInt64("expiryHeight"))]));
        if (page.OptionalString("next") is { } next) output.Line($"more: --after {next}");
    }

    public static List<(string Key, string Value)> Rows(JsonObject o)
    {
        var rows = new List<(string, string)>
        {
            ("id", o.String("id")),
            ("maker", o.String("maker")),
            ("maker gives", o.String("makerGives")),
            ("native", Native(o)),
            ("outside", Outside(o)),
            ("maker's outside key", o.String("makerOutsideKey")),
            ("hash lock", o.OptionalString("hashLock") ?? "(the taker's, at take)"),
            ("native lock", $"{Integer(o.UInt64("lockBlocks"))} blocks"),
            ("outside lock", OutsideLock(o)),
            ("expiry height", Integer(o.UInt64("expiryHeight"))),
            ("posted at", Integer(o.UInt64("postHeight"))),
            ("status", o.String("status")),
        };
        if (o.OptionalUInt64("closedHeight") is { } closed) rows.Add(("closed at", Integer(closed)));
        if (o.OptionalString("taker") is { } taker) rows.Add(("taker", taker));
        if (o["terms"] is JsonObject t)
        {
            rows.Add(("initiator", t.String("initiator")));
            rows.Add(("participant", t.String("participant")));
            rows.Add(("native HTLC", $"{t.String("nativeHtlcId")} (times out at height {Integer(t.UInt64("nativeTimeoutHeight"))})"));
            rows.Add(("outside claim key", t.String("outsideClaimKey")));
            rows.Add(("outside refund key", t.String("outsideRefundKey")));
        }
        return rows;
    }

    /// <summary>EXT in whole units; another ExCraft asset in base units (its decimals are not in the offer).</summary>
    private static string Native(JsonObject o) => o.String("nativeAsset") == AssetSymbol.Native
        ? $"{Amount.Format(o.Units("nativeAmount"))} EXT"
        : $"{o.Units("nativeAmount").ToString(CultureInfo.InvariantCulture)} base units of {o.String("nativeAsset")}";

    /// <summary>BTC (8 places) and ETH (18) in whole units; an ERC20 in base units.</summary>
    private static string Outside(JsonObject o) => o.String("outsideAsset") switch
    {
        SwapOfferRules.Btc => $"{Amount.Format(o.Units("outsideAmount"), 8)} BTC on {o.String("outsideChain")}",
        SwapOfferRules.Eth => $"{Amount.Format(o.Units("outsideAmount"), 18)} ETH on {o.String("outsideChain")}",
        var token => $"{o.Units("outsideAmount").ToString(CultureInfo.InvariantCulture)} base units of ERC20 {token} on {o.String("outsideChain")}",
    };

    /// <summary>On bitcoin the outside lock field is the script's exact timeout height (docs/swaps.md), on ethereum a lifetime in seconds.</summary>
    private static string OutsideLock(JsonObject o) => o.String("outsideChain") == SwapOfferRules.Bitcoin
        ? $"times out at Bitcoin height {Integer(o.UInt64("outsideLockSeconds"))}"
        : $"{Integer(o.UInt64("outsideLockSeconds"))} s";

    private static string Integer(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
