using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests;

/// <summary>The registry refuses modules that would share state keys or transaction kinds, and runs hooks in its declared order.</summary>
public class ModuleRegistryTests
{
    /// <summary>A module with whatever prefix and handlers a test needs.</summary>
    private sealed class TestModule(string name, byte[] prefix, params ITxHandler[] handlers) : ChainModule
    {
        public override string Name => name;
        public override byte[] KeyPrefix => prefix;
        public override IReadOnlyList<ITxHandler> Handlers => handlers;
        public override IReadOnlyList<string> EventTypes => [];
    }

    private static ModuleRegistry Standard() => ModuleRegistry.Standard(TestChain.MakeGenesis());

    [Fact]
    public void The_standard_modules_pass_the_checks_and_handle_every_kind()
    {
        var registry = Standard();
        Assert.Equal([AccountsModule.ModuleName, Modules.Kyc.KycModule.ModuleName, Modules.Htlc.HtlcModule.ModuleName, Modules.SwapOffers.SwapOffersModule.ModuleName,
            Modules.Markets.MarketsModule.ModuleName, Modules.Poe.PoeModule.ModuleName, Modules.Pools.PoolsModule.ModuleName, StakingModule.ModuleName, Modules.Emission.EmissionModule.ModuleName], registry.Modules.Select(m => m.Name));
        Assert.All(Enum.GetValues<TxKind>(), kind => Assert.NotNull(registry.HandlerFor(kind)));
    }

    [Fact]
    public void Two_modules_with_one_prefix_are_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ModuleRegistry([.. Standard().Modules, new TestModule("dao", AccountsKeys.Prefix)]));
        Assert.Contains("overlapping key prefixes", e.Message);
        Assert.Contains("accounts", e.Message);
    }

    [Fact]
    public void A_prefix_that_starts_another_is_refused_both_ways()
    {
        Assert.Throws<InvalidOperationException>(() => new ModuleRegistry([.. Standard().Modules, new TestModule("long", [0x02, 0x07])]));
        Assert.Throws<InvalidOperationException>(() => new ModuleRegistry([new TestModule("long", [0x09, 0x07]), new TestModule("short", [0x09])]));
        Assert.Throws<InvalidOperationException>(() => new ModuleRegistry([new TestModule("chainlike", [0x00, 0x01])])); // the chain-level prefix
        Assert.Throws<InvalidOperationException>(() => new ModuleRegistry([new TestModule("empty", [])]));
    }

    [Fact]
    public void Two_modules_claiming_one_kind_are_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ModuleRegistry([.. Standard().Modules, new TestModule("copycat", [0x30], new Modules.Accounts.TransferHandler())]));
        Assert.Contains("kind 1", e.Message);
        Assert.Contains("copycat", e.Message);
    }

    [Fact]
    public void Two_modules_with_one_name_are_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ModuleRegistry([.. Standard().Modules, new TestModule("staking", [0x31])]));
        Assert.Contains("named staking", e.Message);
    }

    [Fact]
    public void Distinct_modules_are_accepted()
    {
        var registry = new ModuleRegistry([.. Standard().Modules, new TestModule("dao", [0x06])]);
        Assert.Equal(Standard().Modules.Count + 1, registry.Modules.Count);
    }

    [Fact]
    public void Event_types_are_unique_across_modules()
    {
        var all = Standard().Modules.SelectMany(m => m.EventTypes).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
