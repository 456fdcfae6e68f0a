using System.Globalization;
using System.Text.Json.Nodes;
using ExCraft.Core;

namespace ExCraft.Cli;

/// <summary>Human-readable text for the node's staking JSON (docs/rpc.md): EXT amounts, rates as percentages, times in UTC.</summary>
public static class StakingView
{
    /// <summary>tombstoned (double-signed, jailed for good), jailed, active (in this epoch's set) or candidate.</summary>
    public static string Status(JsonObject validator) =>
        validator.Bool("tombstoned") ? "tombstoned"
        : validator.Bool("jailed") ? "jailed"
        : validator.Bool("active") ? "active"
        : "candidate";

    public static List<(string Key, string Value)> ValidatorRows(JsonObject v)
    {
        var rows = new List<(string, string)>
        {
            ("operator", v.String("operator")),
            ("moniker", v.String("moniker")),
            ("status", Status(v)),
            ("tokens", Ext(v.Units("tokens"))),
            ("power", Integer(v.UInt64("power"))),
            ("commission", Rate(v, "commissionPpm")),
            ("max commission", Rate(v, "maxCommissionPpm")),
            ("max daily change", Rate(v, "maxDailyChangePpm")),
            ("consensus address", v.String("consensusAddress")),
            ("consensus key", v.String("consensusKey")),
        };
        if (v.OptionalUInt64("jailedUntilMs") is { } until) rows.Add(("jailed until", Time(until)));
        rows.Add(("created at height", Integer(v.UInt64("createdHeight"))));
        return rows;
    }

    /// <summary>A row of the validators table: moniker, operator, power, tokens (EXT), commission, status.</summary>
    public static IReadOnlyList<string> ValidatorCells(JsonObject v) =>
        [v.String("moniker"), v.String("operator"), Integer(v.UInt64("power")), Amount.Format(v.Units("tokens")), Rate(v, "commissionPpm"), Status(v)];

    public static List<(string Key, string Value)> ParamsRows(JsonObject p) =>
    [
        ("min self-bond", Ext(p.Units("minSelfBond"))),
        ("max validators", Integer((ulong)p.Int32("maxValidators"))),
        ("epoch length", Duration(p.UInt64("epochLengthMs"))),
        ("unbonding period", Duration(p.UInt64("unbondingPeriodMs"))),
        ("double-sign slash", Rate(p, "doubleSignSlashPpm")),
        ("downtime slash", Rate(p, "downtimeSlashPpm")),
        ("downtime window", $"{Integer((ulong)p.Int32("downtimeWindowBlocks"))} blocks"),
        ("downtime min signed", Rate(p, "downtimeMinSignedPpm")),
        ("downtime jail", Duration(p.UInt64("downtimeJailMs"))),
        ("min fee", Ext(p.Units("minFee"))),
        ("power", p.OptionalString("powerUnit") ?? ""),
    ];

    /// <summary>A rate field in parts per million, as a percentage.</summary>
    public static string Rate(JsonNode node, string name)
    {
        var ppm = node.UInt64(name);
        return ppm <= uint.MaxValue ? CommissionRate.Format((uint)ppm) : $"{ppm} ppm";
    }

    public static string Ext(UInt128 units) => $"{Amount.Format(units)} EXT";

    /// <summary>Milliseconds since the Unix epoch as UTC text, as in excraft block.</summary>
    public static string Time(ulong ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(ms, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()))
            .ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A period in the largest unit that divides it exactly: "21 days", "2 min", "60 ms".</summary>
    public static string Duration(ulong ms) => ms switch
    {
        0 => "0 s",
        _ when ms % 86_400_000 == 0 => Plural(ms / 86_400_000, "day", "days"),
        _ when ms % 3_600_000 == 0 => $"{Integer(ms / 3_600_000)} h",
        _ when ms % 60_000 == 0 => $"{Integer(ms / 60_000)} min",
        _ when ms % 1_000 == 0 => $"{Integer(ms / 1_000)} s",
        _ => $"{Integer(ms)} ms",
    };

    public static string Integer(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Plural(ulong n, string one, string many) => $"{Integer(n)} {(n == 1 ? one : many)}";
}
