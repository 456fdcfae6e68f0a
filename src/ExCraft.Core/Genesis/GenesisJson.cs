using System.Globalization;
using System.Text.Json;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>
/// Reads the genesis JSON layout. Amounts are decimal token strings ("1000000.5") converted with
/// the asset's decimals; times are RFC 3339 UTC.
/// </summary>
internal static class GenesisJson
{
    public static GenesisConfig Read(JsonElement root)
    {
        var parameters = root.Field("params");
        var assets = root.Field("assets", e => e.EnumerateArray()).Select(a => new GenesisAsset(
            a.Field("symbol", Text),
            a.Field("decimals", e => e.GetByte()),
            a.TryGetProperty("issuer", out _) ? a.Field("issuer", e => Address.Parse(Text(e))) : Address.Zero)).ToList();
        var decimals = assets.ToDictionary(a => a.Symbol, a => (int)a.Decimals);
        var ext = decimals.GetValueOrDefault("EXT", Amount.ExtDecimals);
        var accounts = root.Field("accounts", e => e.EnumerateArray()).Select(a => new GenesisAccount(
            a.Field("address", e => Address.Parse(Text(e))),
            a.Field("balances", e => e.EnumerateObject())
                .Select(b => new KeyValuePair<string, UInt128>(b.Name, Amount.Parse(b.Value.GetString()!,
                    decimals.TryGetValue(b.Name, out var d) ? d : throw new FormatException($"unknown asset {b.Name} in balances"))))
                .OrderBy(b => b.Key, StringComparer.Ordinal).ToList(),
            a.TryGetProperty("registered", out _) && a.Field("registered", e => e.GetBoolean()))).ToList();
        var validators = root.Field("validators", e => e.EnumerateArray()).Select(v => new GenesisValidator(
            v.Field("address", e => Address.Parse(Text(e))),
            v.Field("public_key", e => Hex.Decode(Text(e))),
            v.Field("self_bond", e => Amount.Parse(Text(e), ext)),
            v.TryGetProperty("moniker", out _) ? v.Field("moniker", Text) : "")).ToList();
        var time = root.Field("genesis_time", e => DateTimeOffset.Parse(Text(e), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        var config = new GenesisConfig(
            root.Field("chain_id", e => e.GetUInt64()),
            root.Field("chain_name", Text),
            (ulong)time.ToUnixTimeMilliseconds(),
            new ChainParameters(
                parameters.Field("block_interval_ms", e => e.GetUInt64()),
                parameters.Field("min_fee", e => Amount.Parse(Text(e), ext)),
                parameters.Field("max_block_transactions", e => e.GetInt32()),
                parameters.Field("max_block_bytes", e => e.GetInt32()),
                parameters.Field("max_transaction_bytes", e => e.GetInt32())),
            root.TryGetProperty("staking", out _) ? ReadStaking(root.Field("staking"), ext) : StakingParameters.Mainnet,
            assets, accounts, validators);
        config.Validate();
        return config;
    }

    /// <summary>The "staking" section; fields left out keep their mainnet values.</summary>
    private static StakingParameters ReadStaking(JsonElement s, int ext)
    {
        var d = StakingParameters.Mainnet;
        T Or<T>(string name, Func<JsonElement, T> read, T fallback) => s.TryGetProperty(name, out _) ? s.Field(name, read) : fallback;
        return new StakingParameters(
            Or("min_self_bond", e => Amount.Parse(Text(e), ext), d.MinSelfBond),
            Or("max_validators", e => e.GetInt32(), d.MaxValidators),
            Or("epoch_length_ms", e => e.GetUInt64(), d.EpochLengthMs),
            Or("unbonding_period_ms", e => e.GetUInt64(), d.UnbondingPeriodMs),
            Or("double_sign_slash_ppm", e => e.GetUInt32(), d.DoubleSignSlashPpm),
            Or("downtime_slash_ppm", e => e.GetUInt32(), d.DowntimeSlashPpm),
            Or("downtime_window_blocks", e => e.GetInt32(), d.DowntimeWindowBlocks),
            Or("downtime_min_signed_ppm", e => e.GetUInt32(), d.DowntimeMinSignedPpm),
            Or("downtime_jail_ms", e => e.GetUInt64(), d.DowntimeJailMs));
    }

    /// <summary>A required property; its absence is an error naming it.</summary>
    private static JsonElement Field(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"missing field \"{name}\"");

    /// <summary>A required property read by <paramref name="read"/>; a wrong type or bad value is an error naming it.</summary>
    private static T Field<T>(this JsonElement obj, string name, Func<JsonElement, T> read)
    {
        var value = obj.Field(name);
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new FormatException($"field \"{name}\": {e.Message}");
        }
    }

    private static string Text(JsonElement value) =>
        value.GetString() ?? throw new InvalidOperationException("expected a string, found null");
}
