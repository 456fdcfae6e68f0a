using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>The kyc module's genesis state: the KYC authority keys (SPEC 3; the DAO takes them over later). Empty: nobody can attest.</summary>
public sealed record KycGenesis(IReadOnlyList<Address> Authorities)
{
    public static readonly KycGenesis None = new([]);
}

/// <summary>"modules": {"kyc": {"authorities": ["ext1...", ...]}}. Absent, there is no authority.</summary>
public static class KycGenesisSection
{
    public const string Name = "kyc";

    public static KycGenesis Read(JsonElement? section)
    {
        if (section is not { } s) return KycGenesis.None;
        var authorities = s.Or("authorities", e => e.EnumerateArray().Select(a => Address.Parse(JsonFields.Text(a))).ToList(), []);
        if (authorities.Distinct().Count() != authorities.Count) throw new FormatException("a kyc authority is listed twice");
        return new KycGenesis(authorities);
    }

    /// <summary>The canonical bytes the genesis hash covers: rlp([[authority...]]), in file order.</summary>
    public static byte[] Encode(GenesisConfig g) => Rlp.EncodeList(Rlp.EncodeList(g.Kyc.Authorities.Select(a => Rlp.EncodeBytes(a.ToBytes()))));

    public static JsonObject Write(GenesisConfig g) => new()
    {
        ["authorities"] = new JsonArray(g.Kyc.Authorities.Select(a => (JsonNode)a.ToString()).ToArray()),
    };
}
