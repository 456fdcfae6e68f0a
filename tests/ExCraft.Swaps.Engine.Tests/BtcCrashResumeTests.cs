using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// EXT/BTC with BTC on either role: a party's engine is dropped right after it logged a given
/// event (before the action that follows it, such as the broadcast of a logged BTC funding), and
/// a new engine opened on the same log finishes the swap. The six crash points of one direction
/// run side by side, each its own swap, with a seventh: the BTC claim signed and logged, not yet broadcast. Nothing is locked twice and nothing is lost: bcoin saw
/// one funding and one claim of the HTLC, and balances on both chains are those of an
/// uninterrupted swap.
/// </summary>
public sealed class BtcCrashResumeTests(SwapWorld world, BcoinFixture bitcoin) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(80);
    private readonly BtcSwapKit kit = new(world, bitcoin);

    private static readonly (SwapRole Crashing, string After)[] CrashPoints =
    [
        (SwapRole.Initiator, SwapEventTypes.OwnLockPrepared), // logged, not yet broadcast
        (SwapRole.Initiator, SwapEventTypes.OwnLockConfirmed),
        (SwapRole.Participant, SwapEventTypes.CounterLockAccepted),
        (SwapRole.Participant, SwapEventTypes.OwnLockPrepared),
        (SwapRole.Initiator, SwapEventTypes.CounterClaimed),
        (SwapRole.Participant, SwapEventTypes.OwnClaimed), // the secret is known, the claim not yet sent
    ];

    [Theory]
    [InlineData(false)] // EXT initiator, BTC participant
    [InlineData(true)] // BTC initiator, EXT participant
    public async Task A_party_dropped_after_an_event_resumes_and_the_swap_completes(bool btcInitiator)
    {
        await using var miner = kit.StartMining();
        // Plus the BTC claim signed and logged but not yet broadcast: the resumed engine sends that very claim.
        var btcClaimer = btcInitiator ? SwapRole.Participant : SwapRole.Initiator;
        await Task.WhenAll(CrashPoints.Append((Crashing: btcClaimer, After: SwapEventTypes.ClaimSent)).Select(p => CrashAndResumeAsync(btcInitiator, p.Crashing, p.After)));
    }

    private async Task CrashAndResumeAsync(bool btcInitiator, SwapRole crashing, string crashAfter)
    {
        // T1 60 s and T2 30 s of wall time on each chain's clock (EXT 100 ms, BTC 300 ms a block).
        var s = await kit.CreateAsync(btcInitiator, t1Blocks: btcInitiator ? 200 : 600, t2Blocks: btcInitiator ? 300 : 100);
        var extLockerBefore = await world.ExtBalanceAsync(s.ExtLocker.Ext.ExtKey.Address);
        var extClaimerBefore = await world.ExtBalanceAsync(s.ExtClaimer.Ext.ExtKey.Address);
        var stop = new CancellationTokenSource();
        var crashed = false;
        var crashOptions = Drive.Options(15, 8, e =>
        {
            if (e.Type != crashAfter || crashed) return;
            crashed = true;
            stop.Cancel();
        });
        var initiator = s.Engine(SwapRole.Initiator, crashing == SwapRole.Initiator ? crashOptions : Drive.Options(15, 8));
        var participant = s.Engine(SwapRole.Participant, crashing == SwapRole.Participant ? crashOptions : Drive.Options(15, 8));
        var (crasher, survivor, party) = crashing == SwapRole.Initiator ? (initiator, participant, s.Initiator) : (participant, initiator, s.Participant);
        var what = $"{(btcInitiator ? "BTC" : "EXT")} initiator, {crashing} dropped after {crashAfter}";

        var survivorEnd = Drive.ToEndAsync(survivor, Bound);
        await Drive.UntilCrashAsync(crasher, stop, Bound);
        Assert.True(crashed, $"{what}: never reached:\n{Drive.Describe(crasher.State)}");
        Assert.Equal(crashAfter, crasher.State.Events[^1].Type); // dropped right after that event

        var resumed = SwapEngine.Open(party.Ext.Store, s.Terms.Id, party.Legs, Drive.Options(15, 8));
        var ends = await Task.WhenAll(Drive.ToEndAsync(resumed, Bound), survivorEnd);
        Assert.All(ends, e => Assert.True(e.Outcome == "completed", $"{what}: {e.Role} ended {e.Outcome}\n{Drive.Describe(e)}"));
        foreach (var end in ends) Assert.Single(end.Events, e => e.Type == SwapEventTypes.OwnLockPrepared);
        var (initiatorEnd, participantEnd) = crashing == SwapRole.Initiator ? (ends[0], ends[1]) : (ends[1], ends[0]);
        var btcClaimerEnd = btcInitiator ? participantEnd : initiatorEnd;

        // BTC: one funding and one claim of the HTLC; the claimer got the amount less the claim's fee, the locker nothing back.
        // (Read once the claim is mined: a scan that races a new block can miss a transaction leaving the mempool.)
        await kit.AwaitMinedPaymentAsync(btcClaimerEnd.CounterClaimTx!, s.BtcClaimer.BtcReceive, s.StartHeight);
        Assert.Equal(btcClaimerEnd.CounterClaimTx, Assert.Single(btcClaimerEnd.ClaimSends).Tx); // the logged claim itself, never a second one
        var htlc = await kit.HtlcActivityAsync(s);
        Assert.Single(htlc.Fundings);
        Assert.Equal(BtcSwapKit.BtcAmount, htlc.Fundings[0].Amount);
        Assert.Equal(HtlcSpendKind.Claim, Assert.Single(htlc.Spends).Kind);
        Assert.Equal(Money.Zero, await kit.ConfirmedBalanceAsync(s.BtcLocker.BtcReceive, s.StartHeight));
        // EXT: locked once (one fee), claimed once (one fee) to the claimer's receive-only account.
        Assert.Equal(extLockerBefore - BtcSwapKit.ExtAmount - SwapWorld.Fee, await world.ExtBalanceAsync(s.ExtLocker.Ext.ExtKey.Address));
        Assert.Equal(extClaimerBefore - SwapWorld.Fee, await world.ExtBalanceAsync(s.ExtClaimer.Ext.ExtKey.Address));
        Assert.Equal(BtcSwapKit.ExtAmount, await world.ExtBalanceAsync(s.ExtClaimer.Ext.ExtReceive));
        Assert.Equal(0, await world.ExtBalanceAsync(s.ExtLocker.Ext.ExtRefund));
    }
}
