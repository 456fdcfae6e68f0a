using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;

namespace ExCraft.Cli;

/// <summary>Human-readable rows for the node's transaction and receipt JSON, with amounts in decimal units and rates as percentages.</summary>
public static class TransactionView
{
    public static async Task<List<(string Key, string Value)>> TransactionRowsAsync(JsonObject tx, NodeClient node)
    {
        var rows = new List<(string, string)>
        {
            ("hash", tx.String("hash")),
            ("from", tx.OptionalString("from") ?? "?"),
            ("kind", tx.String("kind")),
        };
        var payload = tx["payload"] as JsonObject ?? [];
        switch (tx.String("kind"))
        {
            case "transfer":
                var asset = payload.String("asset");
                rows.Add(("to", payload.String("to")));
                rows.Add(("amount", $"{await FormatAsync(payload.Units("amount"), asset, node)} {asset}"));
                break;
            case "issue_asset":
                var decimals = payload.Int32("decimals");
                rows.Add(("symbol", payload.String("symbol")));
                rows.Add(("decimals", decimals.ToString(CultureInfo.InvariantCulture)));
                rows.Add(("supply", $"{Amount.Format(payload.Units("supply"), decimals)} {payload.String("symbol")}"));
                break;
            case "create_validator":
                rows.Add(("moniker", payload.String("moniker")));
                rows.Add(("consensus key", payload.String("consensusKey")));
                rows.Add(("commission", StakingView.Rate(payload, "commissionPpm")));
                rows.Add(("max commission", StakingView.Rate(payload, "maxCommissionPpm")));
                rows.Add(("max daily change", StakingView.Rate(payload, "maxDailyChangePpm")));
                rows.Add(("self-bond", StakingView.Ext(payload.Units("selfBond"))));
                break;
            case "edit_validator":
                rows.Add(("moniker", payload.String("moniker")));
                rows.Add(("commission", StakingView.Rate(payload, "commissionPpm")));
                break;
            case "delegate" or "undelegate":
                rows.Add(("validator", payload.String("validator")));
                rows.Add(("amount", StakingView.Ext(payload.Units("amount"))));
                break;
            case "redelegate":
                rows.Add(("from validator", payload.String("from")));
                rows.Add(("to validator", payload.String("to")));
                rows.Add(("amount", StakingView.Ext(payload.Units("amount"))));
                break;
            case "submit_evidence":
                rows.Add(("offender", payload.String("validator")));
                rows.Add(("vote height", payload.UInt64("height").ToString(CultureInfo.InvariantCulture)));
                rows.Add(("vote round", payload.UInt64("round").ToString(CultureInfo.InvariantCulture)));
                break;
        }
        rows.Add(("nonce", tx.UInt64("nonce").ToString(CultureInfo.InvariantCulture)));
        rows.Add(("fee", $"{Amount.Format(tx.Units("fee"))} EXT"));
        rows.Add(("chain id", tx.UInt64("chainId").ToString(CultureInfo.InvariantCulture)));
        if (tx["pending"] is JsonValue p && p.TryGetValue<bool>(out var pending) && pending) rows.Add(("block", "pending (in the mempool)"));
        return rows;
    }

    public static List<(string Key, string Value)> ReceiptRows(JsonObject receipt)
    {
        var rows = new List<(string, string)>
        {
            ("status", receipt.String("status")),
            ("block", $"{receipt.UInt64("blockHeight")} (index {receipt.UInt64("index")})"),
            ("fee paid", $"{Amount.Format(receipt.Units("feePaid"))} EXT"),
        };
        if (receipt.OptionalString("error") is { } error) rows.Add(("error", error));
        foreach (var e in receipt["events"] as JsonArray ?? [])
        {
            if (e is not JsonObject ev) continue;
            var attributes = (ev["attributes"] as JsonObject ?? []).Select(a => $"{a.Key}={a.Value?.ToString()}");
            rows.Add(("event", $"{ev.OptionalString("type")} {string.Join(' ', attributes)}"));
        }
        return rows;
    }

    public static bool Succeeded(JsonObject receipt) => receipt.String("status") == "success";

    private static async Task<string> FormatAsync(UInt128 units, string asset, NodeClient node)
    {
        var decimals = (await node.AssetAsync(asset))?.Int32("decimals");
        return decimals is { } d ? Amount.Format(units, d) : $"{units} base units";
    }
}
