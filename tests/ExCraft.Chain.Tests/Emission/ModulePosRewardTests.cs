using System.Numerics;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Consensus;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Emission;

/// <summary>
/// The emission module on a real chain with 1 s epochs (TestChain): several epochs of PoS rewards
/// to registered and unregistered delegators, a validator's commission, a jailed validator, the
/// carry of PoE and pools, all against an independent computation here.
/// </summary>
public sealed class ModulePosRewardTests : IDisposable
{
    private readonly TestChain _t = new();

    public void Dispose() => _t.Dispose();

    private static readonly Address Alice = TestChain.Key(0).Address;   // registered, validator A, 5% commission
    private static readonly Address Bob = TestChain.Key(1).Address;     // registered, validator B, jailed for good
    private static readonly Address Carol = TestChain.Key(2).Address;   // registered, delegates to A and to B
    private static readonly Address Dave = TestChain.Key(3).Address;    // never registers, delegates to A
    private static readonly Address GenesisValidator = DevKeys.Validator.Address; // not registered: earns nothing
    private const uint CommissionPpm = 50_000;

    private void Run(params Transaction[] txs)
    {
        foreach (var tx in txs) Assert.True(_t.Submit(tx).Accepted, _t.Submit(tx).Error);
        var (block, receipts) = _t.ProduceBlock();
        Assert.Equal(txs.Length, block.Transactions.Count);
        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
    }

    private Transaction Tx(int from, TxPayload payload) => _t.Sign(from, payload, _t.Mempool.NextNonce(TestChain.Key(from).Address));

    private Transaction CreateValidator(int account) =>
        Tx(account, new CreateValidatorPayload(TestChain.Key(10 + account).PublicKey.Compressed, $"v{account}", CommissionPpm, 200_000, 10_000, Amount.FromWhole(100)));

    private ulong Epoch => EpochClock.Read(_t.Chain.State).Epoch;

    /// <summary>Produces blocks until the epoch changes and is settled (bounded; the payout lands in the block after its last one); returns the settling block's events.</summary>
    private IReadOnlyList<ChainEvent> ToNextEpoch()
    {
        var before = Epoch;
        for (var i = 0; i < 50 && Epoch == before; i++) _t.ProduceBlock();
        Assert.Equal(before + 1, Epoch);
        for (var i = 0; i < 5 && EmissionState.ReadTotals(_t.Chain.State).EpochsSettled <= before; i++) _t.ProduceBlock();
        Assert.Equal(before + 1, EmissionState.ReadTotals(_t.Chain.State).EpochsSettled);
        return _t.Chain.GetBlockEvents(_t.Chain.Head.Height);
    }

    private UInt128 Supply => AccountState.ReadAsset(_t.Chain.State, AssetSymbol.Native)!.Supply;

    /// <summary>The PoS share of epoch e for a chain starting at cycle 0, from floors of 2/7 of the running total (SPEC 2, docs/emission.md).</summary>
    private static UInt128 ScheduledPos(ulong epoch)
    {
        var table = EmissionTable.Shared;
        var through = (BigInteger)table.CumulativeThrough(epoch) * 2 / 7;
        var before = epoch == 0 ? 0 : (BigInteger)table.CumulativeThrough(epoch - 1) * 2 / 7;
        return (UInt128)(through - before);
    }

    [Fact]
    public void Pos_share_goes_to_registered_stake_after_commission_and_the_rest_carries_without_loss()
    {
        // Epoch 0: registrations, two validators, delegations; then B double-signs and is jailed for good.
        Run(Tx(0, new RegisterPayload()), Tx(1, new RegisterPayload()), Tx(2, new RegisterPayload()));
        Run(CreateValidator(0), CreateValidator(1));
        Run(Tx(2, new DelegatePayload(Alice, Amount.FromWhole(200))), Tx(3, new DelegatePayload(Alice, Amount.FromWhole(300))));
        Run(Tx(2, new DelegatePayload(Bob, Amount.FromWhole(100))));
        var key = TestChain.Key(11);
        var a = Vote.Create(TestChain.ChainId, VoteType.Precommit, 2, 0, Enumerable.Repeat((byte)1, 32).ToArray(), key);
        var b = Vote.Create(TestChain.ChainId, VoteType.Precommit, 2, 0, Enumerable.Repeat((byte)2, 32).ToArray(), key);
        Run(Tx(3, new SubmitEvidencePayload(new DoubleSignEvidence(a, b))));
        Assert.True(StakingState.ReadValidator(_t.Chain.State, Bob)!.Jailed);
        var burned = AccountState.ReadBurned(_t.Chain.State, AssetSymbol.Native);
        Assert.Equal(Amount.FromWhole(10), burned); // 5% of B's 200 bonded
        Assert.Equal(0UL, Epoch);

        var genesisSupply = EmissionState.ReadTotals(_t.Chain.State).GenesisSupply;
        Assert.Equal(TestChain.StartBalance * 4 + Amount.FromWhole(100), genesisSupply);

        UInt128 carryPos = 0, mintedPos = 0, aliceTotal = 0, carolTotal = 0;
        for (ulong epoch = 0; epoch < 3; epoch++)
        {
            var watched = new[] { Alice, Bob, Carol, Dave, GenesisValidator };
            var before = watched.ToDictionary(x => x, x => _t.Balance(x));
            var events = ToNextEpoch(); // the epoch's last block carries no transaction, so balance changes are rewards only

            // Independent computation: eligible stake is Alice's 100 and Carol's 200 with A (Dave unregistered, B jailed, genesis validator unregistered).
            var available = carryPos + ScheduledPos(epoch);
            var total = (BigInteger)Amount.FromWhole(300);
            var aliceGross = (UInt128)(available * (BigInteger)Amount.FromWhole(100) / total);
            var carolGross = (UInt128)(available * (BigInteger)Amount.FromWhole(200) / total);
            var commission = (UInt128)((BigInteger)carolGross * CommissionPpm / 1_000_000);
            var aliceReward = aliceGross + commission;
            var carolReward = carolGross - commission;
            var paid = aliceReward + carolReward;
            carryPos = available - paid;
            mintedPos += paid;
            aliceTotal += aliceReward;
            carolTotal += carolReward;

            Assert.Equal(before[Alice] + aliceReward, _t.Balance(Alice));
            Assert.Equal(before[Carol] + carolReward, _t.Balance(Carol));
            Assert.Equal(before[Bob], _t.Balance(Bob));
            Assert.Equal(before[Dave], _t.Balance(Dave));
            Assert.Equal(before[GenesisValidator], _t.Balance(GenesisValidator));
            Assert.True(carryPos <= 2, $"PoS carry {carryPos} should be rounding dust only");

            var rewards = events.Where(e => e.Type == EmissionModule.Events.PosReward).ToList();
            Assert.Equal(2, rewards.Count);
            Assert.Equal(new[] { Alice.ToString(), Carol.ToString() }.Order(StringComparer.Ordinal), rewards.Select(r => r.Get("account")!).Order(StringComparer.Ordinal));
            var aliceEvent = rewards.Single(r => r.Get("account") == Alice.ToString());
            Assert.Equal(commission.ToString(), aliceEvent.Get("commission"));
            Assert.Equal(aliceReward.ToString(), aliceEvent.Get("reward"));
            var released = Assert.Single(events, e => e.Type == EmissionModule.Events.Released);
            Assert.Equal(epoch.ToString(), released.Get("cycle"));
            Assert.Equal(EmissionTable.Shared.Emission(epoch).ToString(), released.Get("released"));
            var paidPos = Assert.Single(events, e => e.Type == EmissionModule.Events.Paid && e.Get("share") == "pos");
            Assert.Equal(paid.ToString(), paidPos.Get("amount"));

            // Nothing created or lost: per share, released through this epoch = minted + carried; supply = genesis + minted - burned.
            var releasedThrough = EmissionTable.Shared.CumulativeThrough(epoch);
            var carry = EmissionState.ReadCarry(_t.Chain.State).Carried;
            Assert.Equal((UInt128)((BigInteger)releasedThrough * 4 / 7), carry.ProofOfExistence); // no PoE recipients yet: all carried
            Assert.Equal((UInt128)((BigInteger)releasedThrough / 7), carry.Pools);
            Assert.Equal(carryPos, carry.ProofOfStake);
            var carried = Assert.Single(events, e => e.Type == EmissionModule.Events.Carried);
            Assert.Equal(carry.ProofOfExistence.ToString(), carried.Get("poe"));
            Assert.Equal(genesisSupply + mintedPos - burned, Supply);
            var totals = EmissionState.ReadTotals(_t.Chain.State);
            Assert.Equal(mintedPos, totals.Minted.ProofOfStake);
            Assert.Equal(epoch + 1, totals.EpochsSettled);
        }
        Assert.Equal((aliceTotal, (ulong?)2), EmissionState.ReadReward(_t.Chain.State, Alice));
        Assert.Equal((carolTotal, (ulong?)2), EmissionState.ReadReward(_t.Chain.State, Carol));
        Assert.Equal((UInt128.Zero, (ulong?)null), EmissionState.ReadReward(_t.Chain.State, Dave));

        var supply = new EmissionModule(EmissionParameters.Mainnet).Queries(_t.Chain.State).Supply();
        Assert.Equal(Supply, supply.Supply);
        Assert.Equal(burned, supply.Burned);
        Assert.Equal(mintedPos, supply.Minted.Total);
        Assert.Equal(supply.Minted + supply.Carried, supply.Released);
        Assert.Equal(StakingState.ReadValidators(_t.Chain.State).Aggregate(UInt128.Zero, (s, v) => s + v.Tokens), supply.Bonded);
        Assert.Equal(supply.Supply - supply.Bonded - supply.Unbonding - supply.HtlcEscrow - supply.SwapOfferEscrow - supply.PoolStakes, supply.Circulating);

        // A restart reads the same totals and carries on.
        _t.Reopen();
        Assert.Equal(3UL, EmissionState.ReadTotals(_t.Chain.State).EpochsSettled);
        ToNextEpoch();
        Assert.Equal(4UL, EmissionState.ReadTotals(_t.Chain.State).EpochsSettled);
    }
}
