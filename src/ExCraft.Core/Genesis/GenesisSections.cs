using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>
/// The module sections of a genesis file, in canonical order: the order of the chain's module
/// registry (ExCraft.Chain.Modules.ModuleRegistry checks the two agree at start). The genesis
/// hash covers rlp([[name, section bytes]...]) in this order, so neither JSON key order nor
/// whitespace changes it. A module with genesis state adds one line here.
/// </summary>
public static class GenesisSections
{
    public sealed record Section(string Name, Func<GenesisConfig, byte[]> Encode, Func<GenesisConfig, JsonObject> Write);

    public static IReadOnlyList<Section> All { get; } =
    [
        new(AccountsGenesisSection.Name, AccountsGenesisSection.Encode, AccountsGenesisSection.Write),
        new(KycGenesisSection.Name, KycGenesisSection.Encode, KycGenesisSection.Write),
        new(MarketsGenesisSection.Name, MarketsGenesisSection.Encode, MarketsGenesisSection.Write),
        new(PoeGenesisSection.Name, PoeGenesisSection.Encode, PoeGenesisSection.Write),
        new(PoolsGenesisSection.Name, PoolsGenesisSection.Encode, PoolsGenesisSection.Write),
        new(StakingGenesisSection.Name, StakingGenesisSection.Encode, StakingGenesisSection.Write),
        new(EmissionGenesisSection.Name, EmissionGenesisSection.Encode, EmissionGenesisSection.Write),
    ];

    public static byte[] Encode(GenesisConfig genesis) =>
        Rlp.EncodeList(All.Select(s => Rlp.EncodeList(Rlp.EncodeString(s.Name), s.Encode(genesis))));

    public static JsonObject Write(GenesisConfig genesis)
    {
        var modules = new JsonObject();
        foreach (var section in All) modules[section.Name] = section.Write(genesis);
        return modules;
    }
}
