using System.Numerics;
using System.Text.Json.Nodes;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Node;

namespace ExCraft.Integration.Tests;

/// <summary>
/// The emission module on a real dev node whose genesis (written by the test) has 2 s epochs and
/// a registered dev validator: the supply breakdown and the validator's PoS reward over JSON-RPC,
/// against the schedule computed here.
/// </summary>
public sealed class EmissionRpcTests : IAsyncLifetime
{
    private const ulong EpochMs = 2_000;
    private readonly NodeProcess _node = new();
    private readonly string _genesisFile = Path.Combine(Path.GetTempPath(), "excraft-emission-genesis-" + Guid.NewGuid().ToString("N") + ".json");
    private static readonly Address Validator = DevKeys.Validator.Address;
    private static readonly Address Alice = Wallet.Dev(0).Address; // funded, never registered

    private RpcClient Rpc => _node.Rpc;

    public Task InitializeAsync()
    {
        var dev = DevGenesis.Load();
        var json = GenesisJson.Write(dev with { Staking = dev.Staking with { EpochLengthMs = EpochMs } });
        foreach (var account in json["modules"]!["accounts"]!["accounts"]!.AsArray())
        {
            if (account!["address"]!.GetValue<string>() == Validator.ToString()) account["registered"] = true;
        }
        File.WriteAllText(_genesisFile, json.ToJsonString());
        return _node.StartAsync("--genesis", _genesisFile);
    }

    public Task DisposeAsync()
    {
        _node.Dispose();
        File.Delete(_genesisFile);
        return Task.CompletedTask;
    }

    private static UInt128 Units(JsonNode? node) => UInt128.Parse(node!.GetValue<string>());

    [Fact]
    public async Task Supply_and_the_validators_reward_match_the_schedule_after_several_epochs()
    {
        JsonNode supply = null!;
        await Until.TrueAsync(async () =>
        {
            supply = (await Rpc.CallAsync("emission_getSupply"))!;
            return supply["epochsSettled"]!.GetValue<ulong>() >= 3;
        }, TimeSpan.FromSeconds(60), "three epochs settled", () => _node.Output);

        // Read the supply and the reward at one height: retry while an epoch ends between the two calls (bounded).
        JsonNode rewards = null!;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            supply = (await Rpc.CallAsync("emission_getSupply"))!;
            rewards = (await Rpc.CallAsync("emission_getRewards", Validator.ToString()))!;
            var again = (await Rpc.CallAsync("emission_getSupply"))!;
            if (again["epochsSettled"]!.GetValue<ulong>() == supply["epochsSettled"]!.GetValue<ulong>()) break;
        }
        var settled = supply["epochsSettled"]!.GetValue<ulong>();

        // Independent: epochs 0..n-1 paid cycles 0..n-1; PoS gets floor(2/7) of the running total, the only registered staker all of it.
        var released = (BigInteger)EmissionTable.Shared.CumulativeThrough(settled - 1);
        var pos = (UInt128)(released * 2 / 7);
        Assert.Equal(pos.ToString(), rewards["total"]!.GetValue<string>());
        Assert.Equal(settled - 1, rewards["lastEpoch"]!.GetValue<ulong>());
        Assert.Equal(pos, Units(supply["emitted"]!["pos"]));
        Assert.Equal(0UL, (ulong)Units(supply["emitted"]!["poe"]));
        Assert.Equal((UInt128)(released * 4 / 7), Units(supply["carried"]!["poe"]));
        Assert.Equal((UInt128)(released / 7), Units(supply["carried"]!["pools"]));
        Assert.Equal((UInt128)0, Units(supply["carried"]!["pos"]));
        Assert.True((UInt128)released - Units(supply["released"]!["total"]) <= 2); // split dust still in flight: at most 2 base units
        Assert.Equal(Units(supply["genesis"]) + pos - Units(supply["burned"]), Units(supply["supply"]));
        Assert.Equal(Amount.FromWhole(1_000), Units(supply["bonded"]));
        Assert.Equal(Units(supply["supply"]) - Units(supply["bonded"]) - Units(supply["unbonding"]) - Units(supply["htlcEscrow"]) - Units(supply["swapOfferEscrow"]) - Units(supply["poolStakes"]), Units(supply["circulating"]));
        Assert.Equal("0", (await Rpc.CallAsync("emission_getRewards", Alice.ToString()))!["total"]!.GetValue<string>());

        // The release event of epoch 0 is in the block that ended it, with cycle 0's amount.
        var cycle0 = (await Rpc.CallAsync("emission_getCycle", 0))!;
        Assert.Equal(EmissionTable.Shared.Emission(0).ToString(), cycle0["release"]!.GetValue<string>());
        Assert.Equal(0UL, cycle0["epoch"]!.GetValue<ulong>());
        var range = (await Rpc.CallAsync("emission_getRange", 0, 364))!;
        Assert.Equal(EmissionTable.Shared.Range(0, 364).ToString(), range["release"]!.GetValue<string>());
        Assert.StartsWith("1028338469", range["release"]!.GetValue<string>()); // SPEC 2: the first 365 cycles release 1,028,338,469 EXT
    }

    [Fact]
    public async Task Out_of_range_cycles_are_refused_with_invalid_params()
    {
        var past = await Rpc.CallRawAsync("emission_getCycle", 74_037);
        Assert.Equal(-32602, past["error"]!["code"]!.GetValue<int>());
        Assert.Contains("0 to 74036", past["error"]!["message"]!.GetValue<string>());
        var backwards = await Rpc.CallRawAsync("emission_getRange", 10, 5);
        Assert.Equal(-32602, backwards["error"]!["code"]!.GetValue<int>());
        var notANumber = await Rpc.CallRawAsync("emission_getCycle", "x");
        Assert.Equal(-32602, notANumber["error"]!["code"]!.GetValue<int>());
    }
}
