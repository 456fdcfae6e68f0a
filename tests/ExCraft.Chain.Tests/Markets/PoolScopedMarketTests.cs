using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.Tests.Pools;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>A market scoped to a pool (docs/pools.md) takes orders only from that pool's current members; a global market from anyone.</summary>
public sealed class PoolScopedMarketTests : IDisposable
{
    // GOLD/EXT scoped to pool 1 (created below by account 0); GOLD/USD global.
    private readonly PoolTestKit _k = new(adjust: g => ModuleTestKit.WithMarkets(g, m => m.Quote == AssetSymbol.Native ? m with { Pool = 1 } : m));

    public void Dispose() => _k.Dispose();

    private static PlaceOrderPayload Sell(string quote) => ModuleTestKit.Limit(quote, buy: false, Amount.FromWhole(2, quote == AssetSymbol.Native ? 18 : 6), 1_000_000);

    [Fact]
    public void A_non_member_is_refused_and_a_member_is_accepted()
    {
        Assert.Equal(1UL, MarketsModule.Queries(_k.State).Market(ModuleTestKit.Gold, AssetSymbol.Native)!.Definition.Pool);
        _k.Ok(0, new CreatePoolPayload("traders", 0));
        var error = _k.Fails(2, Sell(AssetSymbol.Native));
        Assert.Equal($"market GOLD/EXT is scoped to pool 1: {PoolTestKit.Accounts[2]} is not a member of it", error);
        Assert.Equal(ModuleTestKit.GoldStart, _k.Chain.Balance(PoolTestKit.Accounts[2], ModuleTestKit.Gold)); // nothing locked
        _k.Ok(2, Sell(ModuleTestKit.Usd)); // the global market takes it

        _k.Ok(2, new JoinPoolPayload(1)); // a member at once, although its PoE counts from the next epoch
        _k.Ok(2, Sell(AssetSymbol.Native));
        Assert.Equal(ModuleTestKit.GoldStart - 2_000_000, _k.Chain.Balance(PoolTestKit.Accounts[2], ModuleTestKit.Gold)); // two sells locked

        _k.Ok(2, new LeavePoolPayload());
        Assert.Contains("is not a member of it", _k.Fails(2, Sell(AssetSymbol.Native)));
    }
}
