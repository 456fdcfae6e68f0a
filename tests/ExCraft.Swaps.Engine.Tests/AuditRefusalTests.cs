using System.Security.Cryptography;
using ExCraft.Swaps.Engine.Legs;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The participant audits the initiator's lock against the agreed terms. An initiator that locks
/// less, under another hash, or with an earlier timeout is refused: the participant never locks
/// (its balances do not move) and the initiator gets its lock back after its own timeout. On the
/// ExCraft leg the participant looks locks up by the agreed hash lock (htlc_getByHashLock), so a
/// lock under another hash is not a candidate at all: the participant sees no lock and gives up
/// with "did not lock in time" rather than refusing it.
/// </summary>
public sealed class AuditRefusalTests(SwapWorld world) : IClassFixture<SwapWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    public enum Tamper { Amount, Hash, Timeout }

    [Fact]
    public async Task A_lock_with_the_wrong_amount_hash_or_a_too_short_timeout_is_refused()
    {
        // The three cases run side by side (separate parties), so the class waits for one T1 only.
        var results = await Task.WhenAll(RunAsync(Tamper.Amount), RunAsync(Tamper.Hash), RunAsync(Tamper.Timeout));
        Assert.Contains(results[0], r => r.StartsWith("amount ", StringComparison.Ordinal));
        Assert.Empty(results[1]); // never a candidate: looked up by the agreed hash lock
        Assert.Contains(results[2], r => r.StartsWith("timeout ", StringComparison.Ordinal));
    }

    /// <summary>Runs one tampered swap to its end on both sides, checks the balances, and returns the participant's refusal reasons.</summary>
    private async Task<IReadOnlyList<string>> RunAsync(Tamper tamper)
    {
        var s = await SwapSetup.CreateAsync(world, t1Blocks: 200, t2Seconds: 15); // the initiator has 12 s to lock before the participant gives up
        var secret = s.Secret;
        var agreed = s.Terms;
        var locked = tamper switch
        {
            Tamper.Amount => agreed with { InitiatorLeg = agreed.InitiatorLeg with { Amount = agreed.InitiatorLeg.Amount - 1 } },
            Tamper.Hash => agreed with { HashLock = SHA256.HashData(secret = RandomNumberGenerator.GetBytes(32)) },
            _ => agreed with { InitiatorLeg = agreed.InitiatorLeg with { Timeout = agreed.InitiatorLeg.Timeout - 30 } },
        };
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.ExtKey.Address);
        var participantEth = await world.EthBalanceAsync(s.Participant.EthSender.Address);
        var participantExt = await world.ExtBalanceAsync(s.Participant.ExtKey.Address);

        var initiator = SwapEngine.Create(s.Initiator.Store, locked, SwapRole.Initiator, secret, s.Initiator.Legs, Drive.Options(3, 3));
        var participant = SwapEngine.Create(s.Participant.Store, agreed, SwapRole.Participant, null, s.Participant.Legs, Drive.Options(3, 3));
        var ends = await Task.WhenAll(Drive.ToEndAsync(initiator, Bound), Drive.ToEndAsync(participant, Bound));

        Assert.Equal("refunded", ends[0].Outcome);
        Assert.Null(ends[1].OwnLock);
        if (tamper == Tamper.Hash)
        {
            Assert.StartsWith("abandoned: the initiator did not lock in time", ends[1].Outcome);
            Assert.DoesNotContain(ends[1].Events, e => e.Type == SwapEventTypes.CounterLockRefused);
        }
        else
        {
            Assert.StartsWith("abandoned: no acceptable lock from the initiator in time", ends[1].Outcome);
            var refused = Assert.Single(ends[1].Events, e => e.Type == SwapEventTypes.CounterLockRefused);
            Assert.Equal(ends[0].OwnLock!.Ref, refused.Data["ref"]!.GetValue<string>());
        }
        // The participant locked nothing; the initiator's EXT came back to its refund address.
        Assert.Equal(participantEth, await world.EthBalanceAsync(s.Participant.EthSender.Address));
        Assert.Equal(participantExt, await world.ExtBalanceAsync(s.Participant.ExtKey.Address));
        Assert.Equal(0, await world.ExtBalanceAsync(s.Participant.ExtReceive));
        Assert.Equal(initiatorExt - locked.InitiatorLeg.Amount - 2 * SwapWorld.Fee, await world.ExtBalanceAsync(s.Initiator.ExtKey.Address));
        Assert.Equal(locked.InitiatorLeg.Amount, await world.ExtBalanceAsync(s.Initiator.ExtRefund));
        return ends[1].RefusalReasons;
    }
}
