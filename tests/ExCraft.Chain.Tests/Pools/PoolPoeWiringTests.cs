using System.Numerics;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.Tests.Markets;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>
/// Pools fed by the real poe module (no PoE table): members trade GOLD/EXT on the markets kit's
/// market, the poe module's report gives each member's PoE, and the pools module's epoch record
/// and the pools share paid must follow from those numbers (computed again here).
/// Pools: 1 (master 0, 10% retained; members 0 and 1), 2 (master 2, nothing retained; members 2
/// and 3); every account registered and attested; top 2 pools with 2 verified members eligible.
/// </summary>
public sealed class PoolPoeWiringTests : IDisposable
{
    private const string EXT = AssetSymbol.Native;
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 Gold = Amount.FromWhole(1, 6);
    private static readonly Address[] A = ModuleTestKit.Accounts;

    private readonly TestChain _t = new(genesis: g => ModuleTestKit.WithMarkets(g, m => m) with
    {
        Accounts = ModuleTestKit.WithMarkets(g, m => m).Accounts.Select(a => a with { Registered = true }).ToList(),
        Kyc = new KycGenesis([A[0]]),
        Pools = PoolTestKit.SmallPools,
    });

    public void Dispose() => _t.Dispose();

    private ulong Epoch => EpochClock.Read(_t.Chain.State).Epoch;

    private void Block(params (int From, TxPayload Payload)[] txs)
    {
        foreach (var (from, payload) in txs)
        {
            var submitted = _t.Submit(_t.Sign(from, payload, _t.Mempool.NextNonce(A[from])));
            Assert.True(submitted.Accepted, submitted.Error);
        }
        var (_, receipts) = _t.ProduceBlock();
        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
    }

    private void ToNextEpoch()
    {
        var before = Epoch;
        for (var i = 0; i < 30 && Epoch == before; i++) _t.ProduceBlock();
        Assert.Equal(before + 1, Epoch);
        // the epoch's PoE close, pools tally and emission payout land in the block after its last one (docs/poe.md, "The close spread over blocks")
        for (var i = 0; i < 5 && EmissionState.ReadTotals(_t.Chain.State).EpochsSettled <= before; i++) _t.ProduceBlock();
        Assert.Equal(before + 1, EmissionState.ReadTotals(_t.Chain.State).EpochsSettled);
    }

    private static PlaceOrderPayload Order(bool buy, UInt128 price, UInt128 size) =>
        new(ModuleTestKit.Gold, EXT, buy ? (byte)0 : (byte)1, 0, 0, price, size, 0, 0, 0, 0);

    private static UInt128 Floor(UInt128 amount, UInt128 part, UInt128 whole) => (UInt128)((BigInteger)amount * part / whole);

    [Fact]
    public void Pool_poe_and_the_pools_share_follow_the_poe_modules_report()
    {
        Block((0, new CreatePoolPayload("alpha", 100_000)), (2, new CreatePoolPayload("beta", 0)));
        Block([.. Enumerable.Range(0, 4).Select(i => (0, (TxPayload)new KycAttestPayload(A[i], 1_000))),
            (0, new JoinPoolPayload(1)), (1, new JoinPoolPayload(1)), (2, new JoinPoolPayload(2)), (3, new JoinPoolPayload(2))]);
        Assert.Equal(0UL, Epoch);
        ToNextEpoch(); // memberships count from epoch 1

        var epoch = Epoch;
        Block((1, Order(false, 2 * Ext, 100 * Gold)));
        Block((2, Order(true, 2 * Ext, 100 * Gold)));          // 1 sells 100 GOLD to 2 at 2 EXT
        Block((1, Order(false, 25 * Ext / 10, 40 * Gold)));
        Block((0, Order(true, 25 * Ext / 10, 40 * Gold)));     // 1 sells 40 GOLD to 0 at 2.5 EXT (closing price)
        Assert.Equal(epoch, Epoch);
        var plan = _t.Executor.Modules.Get<EmissionModule>().Plan;
        var available = EmissionState.ReadCarry(_t.Chain.State).Carried.Pools + plan.SplitOfEpoch(epoch).Pools;
        var mintedBefore = EmissionState.ReadTotals(_t.Chain.State).Minted.Pools;
        ToNextEpoch();
        var state = _t.Chain.State;

        // The poe module's numbers: 140, 100 and 40 GOLD at 2.5 EXT.
        var poe = A.Select(a => PoeState.AccountPoe(state, epoch, a)).ToArray();
        Assert.Equal(new[] { 100 * Ext, 350 * Ext, 250 * Ext, UInt128.Zero }, poe);

        var alpha = PoolsState.ReadStats(state, epoch, 1)!;
        var beta = PoolsState.ReadStats(state, epoch, 2)!;
        Assert.Equal((poe[0] + poe[1], 2UL, 2UL, 1UL, true), (alpha.Poe, alpha.Members, alpha.VerifiedMembers, alpha.Rank, alpha.Eligible));
        Assert.Equal((poe[2] + poe[3], 2UL, 2UL, 2UL, true), (beta.Poe, beta.Members, beta.VerifiedMembers, beta.Rank, beta.Eligible));

        var whole = alpha.Poe + beta.Poe;
        var allotAlpha = Floor(available, alpha.Poe, whole);
        var allotBeta = Floor(available, beta.Poe, whole);
        var retained = Floor(allotAlpha, 100_000, 1_000_000);
        Assert.Equal((allotAlpha, retained), (alpha.Reward, alpha.MasterReward));
        Assert.Equal((allotBeta, UInt128.Zero), (beta.Reward, beta.MasterReward));
        var expectedAlpha = new[] { (A[0], poe[0], Floor(allotAlpha - retained, poe[0], alpha.Poe)), (A[1], poe[1], Floor(allotAlpha - retained, poe[1], alpha.Poe)) }
            .OrderBy(c => c.Item1).ToArray();
        Assert.Equal(expectedAlpha, PoolsState.ReadContributions(state, epoch, 1).Select(c => (c.Account, c.Poe, c.Reward)).ToArray());
        var betaContributions = PoolsState.ReadContributions(state, epoch, 2).ToDictionary(c => c.Account);
        Assert.Equal(allotBeta, betaContributions[A[2]].Reward); // the only member with PoE takes the members' whole part
        Assert.Equal(UInt128.Zero, betaContributions.TryGetValue(A[3], out var c3) ? c3.Reward : UInt128.Zero);

        var paid = retained + expectedAlpha.Aggregate(UInt128.Zero, (s, c) => s + c.Item3) + allotBeta;
        Assert.Equal(mintedBefore + paid, EmissionState.ReadTotals(state).Minted.Pools);
        Assert.Equal(available - paid, EmissionState.ReadCarry(state).Carried.Pools);
    }
}
