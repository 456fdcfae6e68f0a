using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Tests;

/// <summary>The "poe" genesis section: read, defaults, write-back, hash, and the refusals of a bad reference asset or cap.</summary>
public sealed class PoeGenesisTests
{
    private static string DevPath => TestPaths.InRepo("genesis", "dev.json");

    /// <summary>The dev genesis as JSON with its "poe" section replaced by this JSON text (or removed when null).</summary>
    private static string DevWithPoe(string? poe)
    {
        var json = JsonNode.Parse(File.ReadAllText(DevPath))!.AsObject();
        var modules = json["modules"]!.AsObject();
        modules.Remove("poe");
        if (poe is null) return json.ToJsonString();
        modules["poe"] = "__poe__";
        return json.ToJsonString().Replace("\"__poe__\"", poe);
    }

    [Fact]
    public void Dev_genesis_sets_ext_and_a_cap_of_0_9_and_the_section_survives_a_write_back()
    {
        var dev = GenesisConfig.Load(DevPath);
        Assert.Equal(new PoeParameters(AssetSymbol.Native, 900_000), dev.Poe);
        Assert.Equal(PoeParameters.Mainnet, dev.Poe);
        var again = GenesisConfig.Parse(GenesisJson.Write(dev).ToJsonString());
        Assert.Equal(dev.Poe, again.Poe);
        Assert.Equal(Hex.Encode(dev.Hash()), Hex.Encode(again.Hash()));
    }

    [Fact]
    public void An_absent_section_or_field_is_the_mainnet_value_and_every_value_is_in_the_hash()
    {
        var dev = GenesisConfig.Load(DevPath);
        var absent = GenesisConfig.Parse(DevWithPoe(null));
        Assert.Equal(PoeParameters.Mainnet, absent.Poe);
        Assert.Equal(Hex.Encode(dev.Hash()), Hex.Encode(absent.Hash())); // the section is always encoded, with its values
        var capOnly = GenesisConfig.Parse(DevWithPoe("{\"wash_cap_ppm\": 500000}"));
        Assert.Equal(new PoeParameters(AssetSymbol.Native, 500_000), capOnly.Poe);
        Assert.NotEqual(Hex.Encode(dev.Hash()), Hex.Encode(capOnly.Hash()));
        var ore = GenesisConfig.Parse(DevWithPoe("{\"reference_asset\": \"ORE\"}"));
        Assert.Equal(new PoeParameters("ORE", 900_000), ore.Poe);
        Assert.NotEqual(Hex.Encode(dev.Hash()), Hex.Encode(ore.Hash()));
        Assert.Equal(Rlp.EncodeList(Rlp.EncodeString("ORE"), Rlp.EncodeUInt(900_000)), PoeGenesisSection.Encode(ore));
    }

    [Theory]
    [InlineData("{\"wash_cap_ppm\": 0}", "poe wash_cap_ppm must be between 1 and 1000000")]
    [InlineData("{\"wash_cap_ppm\": 1000001}", "poe wash_cap_ppm must be between 1 and 1000000")]
    [InlineData("{\"wash_cap_ppm\": -5}", "field \"wash_cap_ppm\"")]
    [InlineData("{\"reference_asset\": \"NOPE\"}", "poe reference_asset NOPE is not a genesis asset")]
    [InlineData("{\"reference_asset\": 7}", "field \"reference_asset\"")]
    [InlineData("{\"wash_cap\": 900000}", "unknown field \"wash_cap\"")]
    [InlineData("[]", "module section \"poe\": expected an object")]
    [InlineData("{\"close_chunk_accounts\": 0}", "poe close_chunk_accounts must be between 1 and 10000000")]
    [InlineData("{\"close_chunk_accounts\": 10000001}", "poe close_chunk_accounts must be between 1 and 10000000")]
    [InlineData("{\"close_chunk_accounts\": \"many\"}", "field \"close_chunk_accounts\"")]
    public void A_bad_section_is_refused_with_the_field_named(string section, string expected)
    {
        var e = Assert.Throws<GenesisException>(() => GenesisConfig.Parse(DevWithPoe(section)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_close_chunk_is_read_written_back_and_hashed_only_when_not_the_default()
    {
        var dev = GenesisConfig.Load(DevPath);
        Assert.Equal(PoeParameters.DefaultCloseChunkAccounts, dev.Poe.CloseChunkAccounts);
        var explicitDefault = GenesisConfig.Parse(DevWithPoe($"{{\"close_chunk_accounts\": {PoeParameters.DefaultCloseChunkAccounts}}}"));
        Assert.Equal(Hex.Encode(dev.Hash()), Hex.Encode(explicitDefault.Hash())); // genesis hashes from before the parameter stay
        var one = GenesisConfig.Parse(DevWithPoe("{\"close_chunk_accounts\": 1}"));
        Assert.Equal(1UL, one.Poe.CloseChunkAccounts);
        Assert.NotEqual(Hex.Encode(dev.Hash()), Hex.Encode(one.Hash()));
        Assert.Equal(Rlp.EncodeList(Rlp.EncodeString("EXT"), Rlp.EncodeUInt(900_000), Rlp.EncodeUInt(1)), PoeGenesisSection.Encode(one));
        var again = GenesisConfig.Parse(GenesisJson.Write(one).ToJsonString());
        Assert.Equal(one.Poe, again.Poe);
        Assert.Equal(Hex.Encode(one.Hash()), Hex.Encode(again.Hash()));
        Assert.Equal(10_000_000UL, GenesisConfig.Parse(DevWithPoe("{\"close_chunk_accounts\": 10000000}")).Poe.CloseChunkAccounts);
    }

    [Fact]
    public void The_cap_bounds_are_accepted()
    {
        Assert.Equal(1UL, GenesisConfig.Parse(DevWithPoe("{\"wash_cap_ppm\": 1}")).Poe.WashCapPpm);
        Assert.Equal(1_000_000UL, GenesisConfig.Parse(DevWithPoe("{\"wash_cap_ppm\": 1000000}")).Poe.WashCapPpm);
    }
}
