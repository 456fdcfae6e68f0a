using System.Numerics;
using ExCraft.Integration.Tests;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The initiator logs its signed EXT lock and is dropped before broadcasting it; it is restarted
/// only once the lock's timeout height has passed. The native HTLC refuses a lock whose timeout is
/// not above its block, so that lock can never land: the resumed engine must conclude "nothing
/// locked" (a final state with a clear event), send nothing, and leave every balance as it was.
/// </summary>
public sealed class LockExpiryTests(SwapWorld world) : IClassFixture<SwapWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_lock_logged_but_never_on_chain_before_its_timeout_ends_as_nothing_locked()
    {
        var s = await SwapSetup.CreateAsync(world, t1Blocks: 60, t2Seconds: 20); // T1 is 6 s of 100 ms blocks
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.ExtKey.Address);
        using var crash = new CancellationTokenSource();
        var options = Drive.Options(marginSeconds: 1, windowSeconds: 2);
        var engine = SwapEngine.Create(s.Initiator.Store, s.Terms, SwapRole.Initiator, s.Secret, s.Initiator.Legs, options with
        {
            OnEvent = e => { if (e.Type == SwapEventTypes.OwnLockPrepared) crash.Cancel(); },
        });
        await Drive.UntilCrashAsync(engine, crash, Bound);
        var dropped = engine.State;
        Assert.Equal(SwapEventTypes.OwnLockPrepared, dropped.Events[^1].Type);
        Assert.NotNull(dropped.OwnLock!.Raw); // signed and logged, never broadcast

        var timeout = s.Terms.InitiatorLeg.Timeout;
        await Until.TrueAsync(async () => await world.ExtHeightAsync() >= timeout, Bound, $"EXT height {timeout}");

        var end = await Drive.ToEndAsync(SwapEngine.Open(s.Initiator.Store, s.Terms.Id, s.Initiator.Legs, options), Bound);
        Assert.StartsWith("nothing locked", end.Outcome);
        var expired = Assert.Single(end.Events, e => e.Type == SwapEventTypes.OwnLockExpired);
        Assert.Equal(dropped.OwnLock.Ref, expired.Data["ref"]!.GetValue<string>());
        Assert.DoesNotContain(SwapEventTypes.OwnLockConfirmed, Drive.Types(end));
        Assert.Null(await s.Initiator.ExtLeg.GetLockAsync(dropped.OwnLock.Ref, s.Terms.InitiatorLeg, s.Terms.HashLock, CancellationToken.None));
        Assert.Equal(initiatorExt, await world.ExtBalanceAsync(s.Initiator.ExtKey.Address)); // not even a fee was paid
        Assert.Equal(BigInteger.Zero, await world.ExtBalanceAsync(s.Participant.ExtReceive));
        Assert.Equal(BigInteger.Zero, await world.ExtBalanceAsync(s.Initiator.ExtRefund));
    }
}
