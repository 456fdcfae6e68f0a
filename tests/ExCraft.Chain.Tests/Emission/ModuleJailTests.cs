using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Emission;

/// <summary>A validator jailed for downtime earns nothing for epochs that end while it is jailed; its share carries and is paid once it is back.</summary>
public sealed class ModuleJailTests : IDisposable
{
    private readonly TestChain _t = new(staking: TestChain.Staking with { DowntimeWindowBlocks = 10 });
    private static readonly Address Alice = TestChain.Key(0).Address;

    public void Dispose() => _t.Dispose();

    private void Run(Transaction tx)
    {
        Assert.True(_t.Submit(tx).Accepted);
        var (_, receipts) = _t.ProduceBlock();
        Assert.True(Assert.Single(receipts).Success, receipts[0].Error);
    }

    private Transaction Tx(TxPayload payload) => _t.Sign(0, payload, _t.Mempool.NextNonce(Alice));

    private bool Jailed => StakingState.ReadValidator(_t.Chain.State, Alice)!.Jailed;

    private UInt128 PosCarry => EmissionState.ReadCarry(_t.Chain.State).Carried.ProofOfStake;

    /// <summary>Produces one block; returns the PoS rewards it paid to Alice, or null if it settled no epoch (an epoch settles in the block after its last one).</summary>
    private (ulong Epoch, UInt128 Reward)? Step()
    {
        var epoch = EmissionState.ReadTotals(_t.Chain.State).EpochsSettled;
        _t.ProduceBlock();
        if (EmissionState.ReadTotals(_t.Chain.State).EpochsSettled == epoch) return null;
        var events = _t.Chain.GetBlockEvents(_t.Chain.Head.Height);
        var reward = events.Where(e => e.Type == EmissionModule.Events.PosReward && e.Get("account") == Alice.ToString())
            .Aggregate(UInt128.Zero, (sum, e) => sum + UInt128.Parse(e.Get("reward")!));
        return (epoch, reward);
    }

    [Fact]
    public void Jailed_epochs_pay_nothing_and_carry_until_the_validator_is_back()
    {
        Run(Tx(new RegisterPayload()));
        Run(Tx(new CreateValidatorPayload(TestChain.Key(10).PublicKey.Compressed, "a", 0, 200_000, 10_000, Amount.FromWhole(100))));

        // Alice is the only registered staker: an epoch ending while she is not jailed pays her the whole PoS carry + share.
        var paidAfterJail = false;
        var jailedEpochs = 0;
        var unjailSent = false;
        for (var i = 0; i < 300 && !paidAfterJail; i++)
        {
            if (Jailed && !unjailSent && _t.Chain.Head.TimeMs >= StakingState.ReadValidator(_t.Chain.State, Alice)!.JailedUntilMs)
            {
                Assert.True(_t.Submit(Tx(new UnjailPayload())).Accepted); // goes into the next block Step makes
                unjailSent = true;
            }
            var carryBefore = PosCarry;
            if (Step() is not { } end) continue;
            var table = EmissionTable.Shared;
            var scheduled = table.CumulativeThrough(end.Epoch) * 2 / 7 - (end.Epoch == 0 ? 0 : table.CumulativeThrough(end.Epoch - 1) * 2 / 7);
            if (Jailed)
            {
                // Jailed at the epoch end: nothing paid, the whole share added to the carry.
                Assert.Equal(UInt128.Zero, end.Reward);
                Assert.Equal(carryBefore + scheduled, PosCarry);
                jailedEpochs++;
                continue;
            }
            Assert.Equal(carryBefore + scheduled, end.Reward);
            Assert.Equal(UInt128.Zero, PosCarry);
            if (jailedEpochs > 0) paidAfterJail = true; // includes every jailed epoch's carried share
        }
        Assert.True(jailedEpochs > 0, "the validator was never jailed at an epoch end");
        Assert.True(paidAfterJail, "the validator was never paid again after its jail");
    }
}
