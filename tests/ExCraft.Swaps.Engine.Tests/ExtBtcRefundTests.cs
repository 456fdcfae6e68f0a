using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// EXT against BTC when a party stops: the participant never locks (the initiator refunds after
/// T1), or the initiator never claims (both refund). BTC is on either role; both directions of a
/// test run side by side, so the class waits for each timeout once. Every outcome is read from
/// balances: the ExCraft state, and on bcoin the confirmed UTXOs of receive-only scripts.
/// </summary>
public sealed class ExtBtcRefundTests(SwapWorld world, BcoinFixture bitcoin) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(80);
    private readonly BtcSwapKit kit = new(world, bitcoin);

    [Fact]
    public async Task Participant_never_locks_and_the_initiator_refunds_after_T1()
    {
        await using var miner = kit.StartMining();
        await Task.WhenAll(ParticipantNeverLocksAsync(btcInitiator: false), ParticipantNeverLocksAsync(btcInitiator: true));
    }

    [Fact]
    public async Task Initiator_never_claims_and_both_sides_refund()
    {
        await using var miner = kit.StartMining();
        await Task.WhenAll(InitiatorNeverClaimsAsync(btcInitiator: false), InitiatorNeverClaimsAsync(btcInitiator: true));
    }

    private async Task ParticipantNeverLocksAsync(bool btcInitiator)
    {
        // T1: 100 EXT blocks (10 s) or 40 BTC blocks (12 s).
        var s = await kit.CreateAsync(btcInitiator, t1Blocks: btcInitiator ? 40 : 100, t2Blocks: btcInitiator ? 50 : 20);
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.Ext.ExtKey.Address);
        var end = await Drive.ToEndAsync(s.Engine(SwapRole.Initiator, Drive.Options(5, 3)), Bound);

        Assert.Equal("refunded", end.Outcome);
        Assert.DoesNotContain(SwapEventTypes.CounterLockAccepted, Drive.Types(end));
        Assert.Equal(0, await world.ExtBalanceAsync(s.Participant.Ext.ExtReceive));
        Assert.Equal(NBitcoin.Money.Zero, await kit.ConfirmedBalanceAsync(s.Participant.BtcReceive, s.StartHeight));
        if (btcInitiator)
        {
            // The BTC lock came back to the initiator: the amount less the refund's own fee, mined.
            await kit.AwaitMinedPaymentAsync(end.OwnRefundTx!, s.Initiator.BtcReceive, s.StartHeight);
            var htlc = await kit.HtlcActivityAsync(s);
            Assert.True(htlc.Tip >= s.Terms.InitiatorLeg.Timeout);
            Assert.Single(htlc.Fundings);
            Assert.Equal(HtlcSpendKind.Refund, Assert.Single(htlc.Spends).Kind);
            Assert.Equal(initiatorExt, await world.ExtBalanceAsync(s.Initiator.Ext.ExtKey.Address)); // no EXT moved
        }
        else
        {
            Assert.True(await world.ExtHeightAsync() >= s.Terms.InitiatorLeg.Timeout);
            Assert.Empty((await kit.HtlcActivityAsync(s)).Fundings); // nothing was ever locked on bcoin
            Assert.Equal(initiatorExt - BtcSwapKit.ExtAmount - 2 * SwapWorld.Fee, await world.ExtBalanceAsync(s.Initiator.Ext.ExtKey.Address)); // lock and refund fees
            Assert.Equal(BtcSwapKit.ExtAmount, await world.ExtBalanceAsync(s.Initiator.Ext.ExtRefund));
        }
    }

    private async Task InitiatorNeverClaimsAsync(bool btcInitiator)
    {
        // The participant's T2 (15 s) comes well before the initiator's T1 (30 s).
        var s = await kit.CreateAsync(btcInitiator, t1Blocks: btcInitiator ? 100 : 300, t2Blocks: btcInitiator ? 150 : 50);
        var extLockerBefore = await world.ExtBalanceAsync(s.ExtLocker.Ext.ExtKey.Address);
        var stop = new CancellationTokenSource();
        // The initiator disappears the moment it has accepted the participant's lock, before claiming.
        var initiator = s.Engine(SwapRole.Initiator, Drive.Options(8, 4, e => { if (e.Type == SwapEventTypes.CounterLockAccepted) stop.Cancel(); }));
        var participant = s.Engine(SwapRole.Participant, Drive.Options(8, 4));

        var gone = Drive.UntilCrashAsync(initiator, stop, Bound);
        var participantEnd = await Drive.ToEndAsync(participant, Bound);
        await gone;
        Assert.Equal(SwapEventTypes.CounterLockAccepted, initiator.State.Events[^1].Type);
        Assert.Equal("refunded", participantEnd.Outcome);

        // The initiator comes back after the participant's refund: it must not claim, and refunds at T1.
        var back = SwapEngine.Open(s.Initiator.Ext.Store, s.Terms.Id, s.Initiator.Legs, Drive.Options(8, 4));
        var initiatorEnd = await Drive.ToEndAsync(back, Bound);
        Assert.Equal("refunded", initiatorEnd.Outcome);
        Assert.Contains(SwapEventTypes.CounterRefunded, Drive.Types(initiatorEnd));
        Assert.Null(initiatorEnd.CounterClaimTx);

        // BTC: funded once, refunded once, the refund mined to the locker; the claimer got nothing.
        var btcLockerEnd = btcInitiator ? initiatorEnd : participantEnd;
        await kit.AwaitMinedPaymentAsync(btcLockerEnd.OwnRefundTx!, s.BtcLocker.BtcReceive, s.StartHeight);
        var htlc = await kit.HtlcActivityAsync(s); // once mined: a scan racing a new block may miss a leaving mempool transaction
        Assert.Single(htlc.Fundings);
        Assert.Equal(HtlcSpendKind.Refund, Assert.Single(htlc.Spends).Kind);
        Assert.Equal(NBitcoin.Money.Zero, await kit.ConfirmedBalanceAsync(s.BtcClaimer.BtcReceive, s.StartHeight));
        // EXT: the lock came back to the locker's refund address (lock and refund fees paid); the claimer got nothing.
        Assert.Equal(extLockerBefore - BtcSwapKit.ExtAmount - 2 * SwapWorld.Fee, await world.ExtBalanceAsync(s.ExtLocker.Ext.ExtKey.Address));
        Assert.Equal(BtcSwapKit.ExtAmount, await world.ExtBalanceAsync(s.ExtLocker.Ext.ExtRefund));
        Assert.Equal(0, await world.ExtBalanceAsync(s.ExtClaimer.Ext.ExtReceive));
    }
}
