using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Core.Tests;

/// <summary>The markets section's buyback parameters: defaults, the 80% floor at load, write-back, and the genesis hash only moving when they are set.</summary>
public sealed class MarketParamsGenesisTests
{
    private static string DevPath => TestPaths.InRepo("genesis", "dev.json");

    private static JsonObject DevWith(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(DevPath))!.AsObject();
        edit(json["modules"]!["markets"]!.AsObject());
        return json;
    }

    [Fact]
    public void Absent_parameters_are_the_defaults_and_keep_the_dev_genesis_hash()
    {
        var dev = GenesisConfig.Load(DevPath);
        Assert.Equal(new MarketParameters(800_000, 50_000), dev.Markets.Parameters);
        // Written out explicitly at their defaults: the same genesis, the same hash.
        var explicitDefaults = GenesisConfig.Parse(DevWith(m => { m["fee_burn_ppm"] = 800_000; m["buyback_slippage_ppm"] = 50_000; }).ToJsonString());
        Assert.Equal(Hex.Encode(dev.Hash()), Hex.Encode(explicitDefaults.Hash()));
    }

    [Fact]
    public void Set_parameters_are_read_change_the_hash_and_survive_a_write_back()
    {
        var dev = GenesisConfig.Load(DevPath);
        var set = GenesisConfig.Parse(DevWith(m => { m["fee_burn_ppm"] = 900_000; m["buyback_slippage_ppm"] = 20_000; }).ToJsonString());
        Assert.Equal(new MarketParameters(900_000, 20_000), set.Markets.Parameters);
        Assert.NotEqual(Hex.Encode(dev.Hash()), Hex.Encode(set.Hash()));
        var again = GenesisConfig.Parse(GenesisJson.Write(set).ToJsonString());
        Assert.Equal(set.Markets.Parameters, again.Markets.Parameters);
        Assert.Equal(Hex.Encode(set.Hash()), Hex.Encode(again.Hash()));
    }

    [Theory]
    [InlineData(799_999, 50_000, "fee burn share 799999 ppm is below the floor of 800000 ppm (80%)")]
    [InlineData(0, 50_000, "fee burn share 0 ppm is below the floor of 800000 ppm (80%)")]
    [InlineData(1_000_001, 50_000, "fee burn share 1000001 ppm is above 1000000 ppm (100%)")]
    [InlineData(800_000, 500_001, "buyback slippage 500001 ppm is above the maximum of 500000 ppm (50%)")]
    public void Out_of_range_parameters_are_refused_at_load_with_the_reason(int burn, int slippage, string reason)
    {
        var json = DevWith(m => { m["fee_burn_ppm"] = burn; m["buyback_slippage_ppm"] = slippage; }).ToJsonString();
        var error = Assert.Throws<GenesisException>(() => GenesisConfig.Parse(json));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void The_payload_round_trips_and_checks_the_same_floor()
    {
        var payload = new SetMarketParamsPayload(950_000, 10_000);
        Assert.Equal(payload, SetMarketParamsPayload.Decode(Rlp.Decode(payload.Encode())));
        Assert.Null(payload.Parameters.Check());
        Assert.Null(new MarketParameters(1_000_000, 0).Check()); // burning everything, and no slippage, are in range
        Assert.Null(new MarketParameters(800_000, 500_000).Check()); // both bounds are inclusive
    }
}
