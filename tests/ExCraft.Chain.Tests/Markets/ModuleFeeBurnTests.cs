using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;
using static ExCraft.Chain.Tests.Markets.ModuleTestKit;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>The epoch-end fee buyback and burn on a real chain: exact amounts burned, paid to operations and kept, and the supplies after.</summary>
public sealed class ModuleFeeBurnTests : IDisposable
{
    private readonly ModuleTestKit _k = new();
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 GoldUnit = Amount.FromWhole(1, 6);
    private const string EXT = AssetSymbol.Native;

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Ext_fees_burn_80_percent_and_other_fees_buy_ext_on_their_market_which_is_burned()
    {
        Assert.True(_k.One(3, Limit(EXT, true, 1_950 * Ext / 1000, 1 * GoldUnit)).Success); // the bid the protocol will sell into
        Assert.True(_k.One(1, Limit(EXT, false, 2 * Ext, 400 * GoldUnit)).Success);
        Assert.True(_k.One(2, Limit(EXT, true, 2 * Ext, 400 * GoldUnit)).Success);
        // 400 GOLD at 2 EXT: the buyer's taker fee is 0.8 GOLD, the seller's maker fee 0.8 EXT.
        Assert.Equal([(EXT, 8 * Ext / 10), (Gold, (UInt128)800_000)], _k.Queries.FeePools().ToList());
        var (extSupply, goldSupply) = (_k.Supply(EXT), _k.Supply(Gold));
        var (opsExt, opsGold) = (_k.Balance(0, EXT), _k.Balance(0, Gold));

        var burns = _k.BlocksUntilFeeBurn();
        var epoch = ulong.Parse(burns[0].Get("epoch")!);
        var records = _k.Queries.FeeBurns(epoch);

        // EXT: 80% of 0.8 burned, 20% to operations (the authority, account 0).
        Assert.Equal(new FeeBurnRecord(epoch, EXT, 8 * Ext / 10, 64 * Ext / 100, 64 * Ext / 100, 16 * Ext / 100, 0), records[0]);
        // GOLD: 80% of 0.8 = 0.64 GOLD sold at 1.95 = 1.248 EXT, minus the protocol's 0.2% taker fee (0.002496 EXT), burned.
        var bought = 1_248 * Ext / 1000 - 2_496 * Ext / 1_000_000;
        Assert.Equal(new FeeBurnRecord(epoch, Gold, 800_000, 640_000, bought, 160_000, 0), records[1]);

        Assert.Equal(extSupply - 64 * Ext / 100 - bought, _k.Supply(EXT));
        // One burned figure for every module's burns: the supply invariant (emission module) reads it every block.
        Assert.Equal(64 * Ext / 100 + bought, AccountState.ReadBurned(_k.Chain.Chain.State, EXT));
        Assert.Equal(goldSupply, _k.Supply(Gold)); // GOLD is sold, not burned
        Assert.Equal(opsExt + 16 * Ext / 100, _k.Balance(0, EXT));
        Assert.Equal(opsGold + 160_000, _k.Balance(0, Gold));
        Assert.Equal(UInt128.Zero, _k.Chain.Balance(FeeBurn.BuybackAccount, EXT));
        Assert.Equal(UInt128.Zero, _k.Chain.Balance(FeeBurn.BuybackAccount, Gold));
        // Left in the pools: the protocol's taker fee (EXT) and the bid's maker fee on 0.64 GOLD (GOLD), for the next epoch.
        Assert.Equal([(EXT, 2_496 * Ext / 1_000_000), (Gold, (UInt128)640)], _k.Queries.FeePools().ToList());
        Assert.Equal(640_000 - 640, (int)(_k.Balance(3, Gold) - GoldStart));
    }

    [Fact]
    public void A_pool_without_a_priced_ext_market_waits_in_its_pool()
    {
        Assert.True(_k.One(1, Limit(Usd, false, 2 * GoldUnit, 100 * GoldUnit)).Success);
        Assert.True(_k.One(2, Limit(Usd, true, 2 * GoldUnit, 100 * GoldUnit)).Success);
        var pools = _k.Queries.FeePools().ToList(); // GOLD from the buyer, USD from the seller; GOLD/EXT has never traded
        for (var i = 0; i < 25; i++) _k.Chain.ProduceBlock(); // at least two epoch ends (10 blocks each)
        Assert.Equal(pools, _k.Queries.FeePools().ToList());
    }
}
