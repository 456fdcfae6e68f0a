using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

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
        rows.AddRange(await PayloadRowsAsync(tx, node));
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

    /// <summary>
    /// The payload's rows from its self-description (decoded from the transaction's raw bytes), so
    /// no kind needs code here: amounts in decimal units of their asset, rates as percentages.
    /// </summary>
    private static async Task<List<(string, string)>> PayloadRowsAsync(JsonObject tx, NodeClient node)
    {
        var rows = new List<(string, string)>();
        if (tx.OptionalString("raw") is not { } raw)
        {
            foreach (var (name, value) in tx["payload"] as JsonObject ?? []) rows.Add((name, value?.ToString() ?? ""));
            return rows;
        }
        foreach (var field in Transaction.Decode(Hex.Decode(raw)).Payload.Describe())
        {
            rows.Add((field.Label, field.Type switch
            {
                PayloadFieldType.Amount => $"{await FormatAsync((UInt128)field.Value, field.AssetSymbol!, field.Decimals, node)} {field.AssetSymbol}",
                PayloadFieldType.Ppm => CommissionRate.Format((uint)field.Value),
                _ => field.ValueText,
            }));
        }
        return rows;
    }

    private static async Task<string> FormatAsync(UInt128 units, string asset, int? knownDecimals, NodeClient node)
    {
        var decimals = knownDecimals ?? (asset == AssetSymbol.Native ? Amount.ExtDecimals : (await node.AssetAsync(asset))?.Int32("decimals"));
        return decimals is { } d ? Amount.Format(units, d) : $"{units} base units";
    }
}
