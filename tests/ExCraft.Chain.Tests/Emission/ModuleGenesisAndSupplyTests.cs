using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Emission;

/// <summary>The emission genesis section (first_cycle, pinned table hash) and the per-block supply check on a real chain.</summary>
public sealed class ModuleGenesisAndSupplyTests
{
    private static Func<GenesisConfig, ModuleRegistry> WithEmission(EmissionParameters emission) =>
        g => ModuleRegistry.Standard(g.ChainId, g.Staking, emission);

    [Fact]
    public void The_pinned_hash_in_genesis_is_the_one_the_schedule_computes()
    {
        Assert.Equal(EmissionTable.PinnedHash, EmissionParameters.StandardTableHash);
        Assert.Equal(EmissionParameters.StandardTableHash, EmissionParameters.Mainnet.TableHash);
    }

    [Fact]
    public void A_chain_starting_at_a_later_cycle_pays_that_cycle_in_its_first_epoch()
    {
        using var t = new TestChain(modules: WithEmission(new EmissionParameters(216, EmissionParameters.StandardTableHash)));
        for (var i = 0; i < 50 && EmissionState.ReadTotals(t.Chain.State).EpochsSettled == 0; i++) t.ProduceBlock(); // settled in the block after the epoch's last
        var events = t.Chain.GetBlockEvents(t.Chain.Head.Height);
        var released = Assert.Single(events, e => e.Type == EmissionModule.Events.Released);
        Assert.Equal("216", released.Get("cycle"));
        Assert.Equal(EmissionTable.Shared.Emission(216).ToString(), released.Get("released"));
        // No registered stake on this chain: every share carries whole, nothing is minted.
        var release = (System.Numerics.BigInteger)EmissionTable.Shared.Emission(216);
        var carry = EmissionState.ReadCarry(t.Chain.State).Carried;
        Assert.Equal(new ShareAmounts((UInt128)(release * 4 / 7), (UInt128)(release / 7), (UInt128)(release * 2 / 7)), carry);
        Assert.Equal(ShareAmounts.Zero, EmissionState.ReadTotals(t.Chain.State).Minted);
        Assert.Equal(TestChain.StartBalance * 4 + Amount.FromWhole(100), AccountState.ReadAsset(t.Chain.State, AssetSymbol.Native)!.Supply);
    }

    [Fact]
    public void A_genesis_pinning_another_table_is_refused_before_any_state_is_written()
    {
        var wrong = "0x" + new string('1', 64);
        var genesis = TestChain.MakeGenesis() with { Emission = new EmissionParameters(0, wrong) };
        var modules = ModuleRegistry.Standard(genesis);
        // GenesisState.Build runs this check before any module writes its genesis state.
        var e = Assert.Throws<InvalidOperationException>(() => modules.ValidateGenesis(genesis));
        Assert.Contains($"pins emission table hash {wrong}", e.Message);
        Assert.Throws<InvalidOperationException>(() => modules.Get<EmissionModule>().RequireTable()); // the node's start-up check
        ModuleRegistry.Standard(TestChain.MakeGenesis()).ValidateGenesis(TestChain.MakeGenesis()); // the standard hash passes
    }

    [Fact]
    public void The_section_round_trips_and_changes_the_genesis_hash()
    {
        var standard = TestChain.MakeGenesis();
        var later = standard with { Emission = new EmissionParameters(365, EmissionParameters.StandardTableHash) };
        var parsed = GenesisConfig.Parse(GenesisJson.Write(later).ToJsonString());
        Assert.Equal(365UL, parsed.Emission.FirstCycle);
        Assert.Equal(later.Hash(), parsed.Hash());
        Assert.NotEqual(standard.Hash(), later.Hash());
        Assert.Equal(EmissionParameters.Mainnet, GenesisConfig.Parse(GenesisJson.Write(standard).ToJsonString()).Emission);
    }

    [Theory]
    [InlineData("{\"first_cycle\": 74038}", "first_cycle 74038 is past the schedule's end")]
    [InlineData("{\"table_hash\": \"0x1234\"}", "table_hash must be 32 bytes")]
    [InlineData("{\"first_cycle\": -1}", "first_cycle")]
    public void Bad_sections_are_refused_with_the_field_named(string section, string message)
    {
        var json = GenesisJson.Write(TestChain.MakeGenesis());
        json["modules"]!["emission"] = System.Text.Json.Nodes.JsonNode.Parse(section);
        var e = Assert.Throws<GenesisException>(() => GenesisConfig.Parse(json.ToJsonString()));
        Assert.Contains(message, e.Message);
    }

    /// <summary>Mints EXT in one block without telling the emission module, as a buggy module would.</summary>
    private sealed class RogueMinter(ulong height) : ChainModule
    {
        public override string Name => "rogue";
        public override byte[] KeyPrefix => [0x7e];
        public override IReadOnlyList<ITxHandler> Handlers => [];
        public override IReadOnlyList<string> EventTypes => [];

        public override void EndBlock(BlockHookContext c)
        {
            if (c.Block.Height != height) return;
            var accounts = new AccountState(c.State);
            accounts.Credit(TestChain.Key(0).Address, AssetSymbol.Native, 1);
            var ext = accounts.GetAsset(AssetSymbol.Native)!;
            accounts.PutAsset(ext with { Supply = ext.Supply + 1 });
        }
    }

    [Fact]
    public void A_block_that_changes_the_supply_outside_the_tracked_categories_is_not_committed()
    {
        using var t = new TestChain(modules: g =>
        {
            var standard = ModuleRegistry.Standard(g).Modules;
            return new ModuleRegistry([.. standard.Take(standard.Count - 1), new RogueMinter(3), standard[^1]]);
        });
        t.ProduceBlock();
        t.ProduceBlock();
        var supply = AccountState.ReadAsset(t.Chain.State, AssetSymbol.Native)!.Supply;
        var e = Assert.ThrowsAny<Exception>(() => t.ProduceBlock());
        Assert.Contains("supply invariant broken", e.ToString());
        Assert.Equal(2UL, t.Chain.Head.Height);
        Assert.Equal(supply, AccountState.ReadAsset(t.Chain.State, AssetSymbol.Native)!.Supply);
        Assert.Equal(TestChain.StartBalance, t.Balance(TestChain.Key(0).Address));
    }
}
