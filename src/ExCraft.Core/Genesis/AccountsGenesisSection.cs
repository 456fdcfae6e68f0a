using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>
/// The accounts module's genesis section, "modules": {"accounts": {"assets": [...], "accounts": [...]}}.
/// Amounts are decimal token strings converted with the asset's decimals. Absent, it is no assets
/// and no accounts (which fails validation: EXT must exist).
/// </summary>
public static class AccountsGenesisSection
{
    public const string Name = "accounts";

    public static (IReadOnlyList<GenesisAsset> Assets, IReadOnlyList<GenesisAccount> Accounts) Read(JsonElement? section)
    {
        if (section is not { } s) return ([], []);
        var assets = s.Field("assets", e => e.EnumerateArray()).Select(a => new GenesisAsset(
            a.Field("symbol", JsonFields.Text),
            a.Field("decimals", e => e.GetByte()),
            a.Or("issuer", e => Address.Parse(JsonFields.Text(e)), Address.Zero))).ToList();
        var decimals = assets.GroupBy(a => a.Symbol).ToDictionary(g => g.Key, g => (int)g.First().Decimals);
        var accounts = s.Field("accounts", e => e.EnumerateArray()).Select(a => new GenesisAccount(
            a.Field("address", e => Address.Parse(JsonFields.Text(e))),
            a.Field("balances", e => e.EnumerateObject())
                .Select(b => new KeyValuePair<string, UInt128>(b.Name, Amount.Parse(b.Value.GetString()!,
                    decimals.TryGetValue(b.Name, out var d) ? d : throw new FormatException($"unknown asset {b.Name} in balances"))))
                .OrderBy(b => b.Key, StringComparer.Ordinal).ToList(),
            a.Or("registered", e => e.GetBoolean(), false))).ToList();
        return (assets, accounts);
    }

    /// <summary>The canonical bytes the genesis hash covers: rlp([assets, accounts]).</summary>
    public static byte[] Encode(GenesisConfig g) => Rlp.EncodeList(
        Rlp.EncodeList(g.Assets.Select(a => Rlp.EncodeList(Rlp.EncodeString(a.Symbol), Rlp.EncodeUInt(a.Decimals), Rlp.EncodeBytes(a.Issuer.ToBytes())))),
        Rlp.EncodeList(g.Accounts.Select(a => Rlp.EncodeList(Rlp.EncodeBytes(a.Address.ToBytes()),
            Rlp.EncodeList(a.Balances.Select(b => Rlp.EncodeList(Rlp.EncodeString(b.Key), Rlp.EncodeUInt(b.Value)))),
            Rlp.EncodeBool(a.Registered)))));

    /// <summary>The section as genesis JSON (export).</summary>
    public static JsonObject Write(GenesisConfig g)
    {
        var decimals = g.Assets.ToDictionary(a => a.Symbol, a => (int)a.Decimals);
        return new JsonObject
        {
            ["assets"] = new JsonArray(g.Assets.Select(a =>
            {
                var json = new JsonObject { ["symbol"] = a.Symbol, ["decimals"] = a.Decimals };
                if (a.Issuer != Address.Zero) json["issuer"] = a.Issuer.ToString();
                return (JsonNode)json;
            }).ToArray()),
            ["accounts"] = new JsonArray(g.Accounts.Select(a =>
            {
                var balances = new JsonObject();
                foreach (var (symbol, units) in a.Balances) balances[symbol] = Amount.Format(units, decimals[symbol]);
                var json = new JsonObject { ["address"] = a.Address.ToString(), ["balances"] = balances };
                if (a.Registered) json["registered"] = true;
                return (JsonNode)json;
            }).ToArray()),
        };
    }
}
