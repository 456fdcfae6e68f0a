namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// A party's engine is dropped right after it logged a given event (before the action that
/// follows it, such as the broadcast of a logged lock), and a new engine opened on the same log
/// finishes the swap. Nothing is locked twice and nothing is lost: balances on both chains are
/// those of an uninterrupted swap.
/// </summary>
public sealed class CrashResumeTests(SwapWorld world) : IClassFixture<SwapWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(SwapRole.Initiator, SwapEventTypes.OwnLockPrepared)] // logged, not yet broadcast
    [InlineData(SwapRole.Initiator, SwapEventTypes.OwnLockConfirmed)]
    [InlineData(SwapRole.Participant, SwapEventTypes.CounterLockAccepted)]
    [InlineData(SwapRole.Participant, SwapEventTypes.OwnLockPrepared)]
    [InlineData(SwapRole.Initiator, SwapEventTypes.CounterClaimed)]
    [InlineData(SwapRole.Participant, SwapEventTypes.OwnClaimed)] // the secret is known, the claim not yet sent
    [InlineData(SwapRole.Initiator, SwapEventTypes.ClaimSent)] // the ETH claim signed and logged, not yet broadcast
    public async Task A_party_dropped_after_an_event_resumes_and_the_swap_completes(SwapRole crashing, string crashAfter)
    {
        var s = await SwapSetup.CreateAsync(world, t1Blocks: 600, t2Seconds: 30);
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.ExtKey.Address);
        var participantEth = await world.EthBalanceAsync(s.Participant.EthSender.Address);
        var stop = new CancellationTokenSource();
        var crashed = false;
        var crashOptions = Drive.Options(15, 8, e =>
        {
            if (e.Type != crashAfter || crashed) return;
            crashed = true;
            stop.Cancel();
        });
        var (initiatorOptions, participantOptions) = crashing == SwapRole.Initiator ? (crashOptions, Drive.Options(15, 8)) : (Drive.Options(15, 8), crashOptions);
        var initiator = SwapEngine.Create(s.Initiator.Store, s.Terms, SwapRole.Initiator, s.Secret, s.Initiator.Legs, initiatorOptions);
        var participant = SwapEngine.Create(s.Participant.Store, s.Terms, SwapRole.Participant, null, s.Participant.Legs, participantOptions);
        var (crasher, survivor, party) = crashing == SwapRole.Initiator ? (initiator, participant, s.Initiator) : (participant, initiator, s.Participant);

        var survivorEnd = Drive.ToEndAsync(survivor, Bound);
        await Drive.UntilCrashAsync(crasher, stop, Bound);
        Assert.True(crashed, $"the {crashing} never reached {crashAfter}:\n{Drive.Describe(crasher.State)}");
        Assert.Equal(crashAfter, crasher.State.Events[^1].Type); // dropped right after that event

        var resumed = SwapEngine.Open(party.Store, s.Terms.Id, party.Legs, Drive.Options(15, 8));
        var ends = await Task.WhenAll(Drive.ToEndAsync(resumed, Bound), survivorEnd);
        Assert.All(ends, e => Assert.Equal("completed", e.Outcome));
        foreach (var end in ends) Assert.Single(end.Events, e => e.Type == SwapEventTypes.OwnLockPrepared);

        Assert.Equal(initiatorExt - SwapSetup.ExtAmount - SwapWorld.Fee, await world.ExtBalanceAsync(s.Initiator.ExtKey.Address)); // locked once
        Assert.Equal(SwapSetup.ExtAmount, await world.ExtBalanceAsync(s.Participant.ExtReceive));
        Assert.Equal(SwapSetup.EthAmount, await world.EthBalanceAsync(s.Initiator.EthReceive));
        var spent = participantEth - await world.EthBalanceAsync(s.Participant.EthSender.Address);
        Assert.InRange(spent, SwapSetup.EthAmount, SwapSetup.EthAmount + Ethereum.Tests.SwapChain.Ether / 100); // locked once (plus gas)
        // One transaction from each ETH sender: the participant's lock and the initiator's claim, each the logged one
        // (a resumed engine resends the very same transaction, never a second one with the next nonce).
        Assert.Equal(1, await world.EthNonceAsync(s.Participant.EthSender.Address));
        Assert.Equal(1, await world.EthNonceAsync(s.Initiator.EthSender.Address));
        var initiatorEnd = crashing == SwapRole.Initiator ? ends[0] : ends[1];
        Assert.Equal(initiatorEnd.CounterClaimTx, Assert.Single(initiatorEnd.ClaimSends).Tx, ignoreCase: true);
    }
}
