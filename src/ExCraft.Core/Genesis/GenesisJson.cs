using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExCraft.Core.Genesis;

/// <summary>
/// Reads and writes the genesis JSON layout: chain identity and params at the top, then one
/// section per module under "modules" (docs/ARCHITECTURE.md). Amounts are decimal token strings
/// ("1000000.5") converted with the asset's decimals; times are RFC 3339 UTC.
/// </summary>
public static class GenesisJson
{
    internal static GenesisConfig Read(JsonElement root)
    {
        var parameters = root.Field("params");
        var modules = root.Field("modules");
        if (modules.ValueKind != JsonValueKind.Object) throw new FormatException("field \"modules\": expected an object of module sections");
        foreach (var section in modules.EnumerateObject())
        {
            if (!GenesisSections.All.Any(s => s.Name == section.Name))
                throw new FormatException($"unknown module section \"{section.Name}\" (known: {string.Join(", ", GenesisSections.All.Select(s => s.Name))})");
        }
        JsonElement? Section(string name) => modules.TryGetProperty(name, out var s) ? s : null;
        var (assets, accounts) = AccountsGenesisSection.Read(Section(AccountsGenesisSection.Name));
        var ext = assets.FirstOrDefault(a => a.Symbol == Transactions.AssetSymbol.Native)?.Decimals ?? Amount.ExtDecimals;
        var (staking, validators) = StakingGenesisSection.Read(Section(StakingGenesisSection.Name), ext);
        var time = root.Field("genesis_time", e => DateTimeOffset.Parse(JsonFields.Text(e), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        var config = new GenesisConfig(
            root.Field("chain_id", e => e.GetUInt64()),
            root.Field("chain_name", JsonFields.Text),
            (ulong)time.ToUnixTimeMilliseconds(),
            new ChainParameters(
                parameters.Field("block_interval_ms", e => e.GetUInt64()),
                parameters.Field("min_fee", e => Amount.Parse(JsonFields.Text(e), ext)),
                parameters.Field("max_block_transactions", e => e.GetInt32()),
                parameters.Field("max_block_bytes", e => e.GetInt32()),
                parameters.Field("max_transaction_bytes", e => e.GetInt32())),
            staking, assets, accounts, validators)
        {
            Emission = EmissionGenesisSection.Read(Section(EmissionGenesisSection.Name)),
            Markets = MarketsGenesisSection.Read(Section(MarketsGenesisSection.Name), assets),
            Kyc = KycGenesisSection.Read(Section(KycGenesisSection.Name)),
            Poe = PoeGenesisSection.Read(Section(PoeGenesisSection.Name)),
            Pools = PoolsGenesisSection.Read(Section(PoolsGenesisSection.Name)),
        };
        config.Validate();
        return config;
    }

    /// <summary>The genesis as JSON in the layout <see cref="GenesisConfig.Parse"/> reads (export; testnet set-up writes it).</summary>
    public static JsonObject Write(GenesisConfig g) => new()
    {
        ["chain_id"] = g.ChainId,
        ["chain_name"] = g.ChainName,
        ["genesis_time"] = DateTimeOffset.FromUnixTimeMilliseconds((long)g.GenesisTimeMs).ToString(g.GenesisTimeMs % 1000 == 0 ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["params"] = new JsonObject
        {
            ["block_interval_ms"] = g.Parameters.BlockIntervalMs,
            ["min_fee"] = Amount.Format(g.Parameters.MinFee),
            ["max_block_transactions"] = g.Parameters.MaxBlockTransactions,
            ["max_block_bytes"] = g.Parameters.MaxBlockBytes,
            ["max_transaction_bytes"] = g.Parameters.MaxTransactionBytes,
        },
        ["modules"] = GenesisSections.Write(g),
    };
}
