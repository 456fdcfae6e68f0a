using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// A BTC lock that does not match the agreed terms is refused by the counterparty, which then
/// neither locks (BTC initiator) nor claims (BTC participant), and every lock comes back to its
/// owner. On Bitcoin the hash, the keys and the timeout are all in the HTLC script, so a lock
/// under another hash or an earlier timeout pays another address: the counterparty's watcher,
/// which looks only at the agreed script, never sees it, and the swap runs out exactly as if
/// nothing were locked. A lock of the wrong amount is at the agreed address and is refused by the
/// audit by name. Cases run side by side, so the class waits for each timeout once.
/// </summary>
public sealed class BtcAuditRefusalTests(SwapWorld world, BcoinFixture bitcoin) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(80);
    private static readonly Money Short = Money.Satoshis(1_000);
    private readonly BtcSwapKit kit = new(world, bitcoin);

    public enum Tamper { Amount, Hash, Timeout }

    [Fact]
    public async Task A_BTC_lock_of_the_initiator_with_the_wrong_amount_hash_or_timeout_is_refused_and_the_participant_never_locks()
    {
        await using var miner = kit.StartMining();
        await Task.WhenAll(InitiatorTampersAsync(Tamper.Amount), InitiatorTampersAsync(Tamper.Hash), InitiatorTampersAsync(Tamper.Timeout));
    }

    [Fact]
    public async Task A_BTC_lock_of_the_participant_with_the_wrong_amount_or_timeout_is_refused_and_the_initiator_never_claims()
    {
        await using var miner = kit.StartMining();
        await Task.WhenAll(ParticipantTampersAsync(Tamper.Amount), ParticipantTampersAsync(Tamper.Timeout));
    }

    private static LegTerms Tampered(LegTerms leg, Tamper tamper) => tamper switch
    {
        Tamper.Amount => leg with { Amount = leg.Amount - Short.Satoshi },
        Tamper.Timeout => leg with { Timeout = leg.Timeout - 10 },
        _ => leg,
    };

    /// <summary>The initiator locks BTC off the terms; the participant (EXT) audits against the agreed terms.</summary>
    private async Task InitiatorTampersAsync(Tamper tamper)
    {
        // T1: 70 BTC blocks (21 s); T2: 120 EXT blocks (12 s); the participant waits until 3 s before T2.
        var s = await kit.CreateAsync(btcInitiator: true, t1Blocks: 70, t2Blocks: 120);
        var secret = s.Secret;
        var locked = s.Terms with { InitiatorLeg = Tampered(s.Terms.InitiatorLeg, tamper) };
        if (tamper == Tamper.Hash) locked = locked with { HashLock = System.Security.Cryptography.SHA256.HashData(secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) };
        var participantExt = await world.ExtBalanceAsync(s.Participant.Ext.ExtKey.Address);

        var ends = await Task.WhenAll(
            Drive.ToEndAsync(s.Engine(SwapRole.Initiator, Drive.Options(3, 3), locked, secret), Bound),
            Drive.ToEndAsync(s.Engine(SwapRole.Participant, Drive.Options(3, 3)), Bound));

        Assert.Equal("refunded", ends[0].Outcome);
        Assert.Null(ends[1].OwnLock);
        var refusals = ends[1].Events.Where(e => e.Type == SwapEventTypes.CounterLockRefused).ToList();
        if (tamper == Tamper.Amount)
        {
            Assert.StartsWith("abandoned: no acceptable lock from the initiator in time", ends[1].Outcome);
            Assert.Equal(ends[0].OwnLock!.Ref, Assert.Single(refusals).Data["ref"]!.GetValue<string>());
            Assert.Contains(ends[1].RefusalReasons, r => r.StartsWith($"amount {locked.InitiatorLeg.Amount}, agreed {s.Terms.InitiatorLeg.Amount}", StringComparison.Ordinal));
        }
        else
        {
            // Another hash or timeout is another script: never a candidate for the participant.
            Assert.Equal("abandoned: the initiator did not lock in time", ends[1].Outcome);
            Assert.Empty(refusals);
        }
        // The participant moved nothing; the initiator's BTC came back (less the refund's fee) and
        // the agreed HTLC address holds nothing of it unless the lock was there (amount case).
        Assert.Equal(participantExt, await world.ExtBalanceAsync(s.Participant.Ext.ExtKey.Address));
        Assert.Equal(0, await world.ExtBalanceAsync(s.Initiator.Ext.ExtReceive));
        Assert.Equal(Money.Zero, await kit.ConfirmedBalanceAsync(s.Participant.BtcReceive, s.StartHeight));
        await kit.AwaitMinedPaymentAsync(ends[0].OwnRefundTx!, s.Initiator.BtcReceive, s.StartHeight, Money.Satoshis((long)locked.InitiatorLeg.Amount));
        var actual = await kit.HtlcActivityAsync(s, locked.HashLock, locked.InitiatorLeg);
        Assert.Equal(HtlcSpendKind.Refund, Assert.Single(actual.Spends).Kind);
        if (tamper != Tamper.Amount) Assert.Empty((await kit.HtlcActivityAsync(s)).Fundings);
    }

    /// <summary>The participant locks BTC off the terms; the initiator (EXT) audits against the agreed terms.</summary>
    private async Task ParticipantTampersAsync(Tamper tamper)
    {
        // T1: 300 EXT blocks (30 s); T2: 50 BTC blocks (15 s), 40 when tampered (12 s).
        var s = await kit.CreateAsync(btcInitiator: false, t1Blocks: 300, t2Blocks: 50);
        var locked = s.Terms with { ParticipantLeg = Tampered(s.Terms.ParticipantLeg, tamper) };
        var initiatorExt = await world.ExtBalanceAsync(s.Initiator.Ext.ExtKey.Address);

        var ends = await Task.WhenAll(
            Drive.ToEndAsync(s.Engine(SwapRole.Initiator, Drive.Options(8, 4)), Bound),
            Drive.ToEndAsync(s.Engine(SwapRole.Participant, Drive.Options(8, 4), locked), Bound));

        Assert.Equal("refunded", ends[0].Outcome);
        Assert.Equal("refunded", ends[1].Outcome);
        Assert.Null(ends[0].CounterLockRef); // never accepted, so never claimed
        Assert.Null(ends[0].CounterClaimTx);
        var refusals = ends[0].Events.Where(e => e.Type == SwapEventTypes.CounterLockRefused).ToList();
        if (tamper == Tamper.Amount)
        {
            Assert.Equal(ends[1].OwnLock!.Ref, Assert.Single(refusals).Data["ref"]!.GetValue<string>());
            Assert.Contains(ends[0].RefusalReasons, r => r.StartsWith($"amount {locked.ParticipantLeg.Amount}, agreed {s.Terms.ParticipantLeg.Amount}", StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(refusals);
        }
        // Both refunded: the participant's BTC (less the refund's fee) and the initiator's EXT; neither claimed anything.
        await kit.AwaitMinedPaymentAsync(ends[1].OwnRefundTx!, s.Participant.BtcReceive, s.StartHeight, Money.Satoshis((long)locked.ParticipantLeg.Amount));
        Assert.Equal(Money.Zero, await kit.ConfirmedBalanceAsync(s.Initiator.BtcReceive, s.StartHeight));
        Assert.Equal(HtlcSpendKind.Refund, Assert.Single((await kit.HtlcActivityAsync(s, leg: locked.ParticipantLeg)).Spends).Kind);
        Assert.Equal(initiatorExt - BtcSwapKit.ExtAmount - 2 * SwapWorld.Fee, await world.ExtBalanceAsync(s.Initiator.Ext.ExtKey.Address));
        Assert.Equal(BtcSwapKit.ExtAmount, await world.ExtBalanceAsync(s.Initiator.Ext.ExtRefund));
        Assert.Equal(0, await world.ExtBalanceAsync(s.Participant.Ext.ExtReceive));
    }
}
