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
        var parameters = root.GetProperty("params");
        var assets = root.GetProperty("assets").EnumerateArray().Select(a => new GenesisAsset(
            a.GetProperty("symbol").GetString()!,
            a.GetProperty("decimals").GetByte(),
            a.TryGetProperty("issuer", out var issuer) ? Address.Parse(issuer.GetString()!) : Address.Zero)).ToList();
        var decimals = assets.ToDictionary(a => a.Symbol, a => (int)a.Decimals);
        var ext = decimals.GetValueOrDefault("EXT", Amount.ExtDecimals);
        var accounts = root.GetProperty("accounts").EnumerateArray().Select(a => new GenesisAccount(
            Address.Parse(a.GetProperty("address").GetString()!),
            a.GetProperty("balances").EnumerateObject()
                .Select(b => new KeyValuePair<string, UInt128>(b.Name, Amount.Parse(b.Value.GetString()!,
                    decimals.TryGetValue(b.Name, out var d) ? d : throw new FormatException($"unknown asset {b.Name} in balances"))))
                .OrderBy(b => b.Key, StringComparer.Ordinal).ToList(),
            a.TryGetProperty("registered", out var registered) && registered.GetBoolean())).ToList();
        var validators = root.GetProperty("validators").EnumerateArray().Select(v => new GenesisValidator(
            Address.Parse(v.GetProperty("address").GetString()!),
            Hex.Decode(v.GetProperty("public_key").GetString()!),
            v.GetProperty("power").GetUInt64(),
            v.TryGetProperty("moniker", out var moniker) ? moniker.GetString()! : "")).ToList();
        var time = DateTimeOffset.Parse(root.GetProperty("genesis_time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var config = new GenesisConfig(
            root.GetProperty("chain_id").GetUInt64(),
            root.GetProperty("chain_name").GetString()!,
            (ulong)time.ToUnixTimeMilliseconds(),
            new ChainParameters(
                parameters.GetProperty("block_interval_ms").GetUInt64(),
                Amount.Parse(parameters.GetProperty("min_fee").GetString()!, ext),
                parameters.GetProperty("max_block_transactions").GetInt32(),
                parameters.GetProperty("max_block_bytes").GetInt32(),
                parameters.GetProperty("max_transaction_bytes").GetInt32()),
            assets, accounts, validators);
        config.Validate();
        return config;
    }
}
