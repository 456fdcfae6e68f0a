using System.Collections.Concurrent;
using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;
using ExCraft.Swaps.Engine.Bitcoin;
using NBitcoin;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The initiator's claim of the BTC leg is sent at 2 sat/vB to a real bcoin regtest node whose
/// blocks the test builds itself, leaving out any spend of the HTLC below 3 sat/vB. The engine
/// must replace the claim (BIP125, higher fee) and the replacement must be mined: the initiator's
/// address receives the amount less the replacement's fee. bcoin 1.0.2 refuses replacements in
/// its own mempool, so the test's miner takes them from the engine's log (as a miner reached by
/// the replacement's broadcast would), and the node validates the block in full. The initiator is
/// dropped right after logging its first replacement, and a new engine on the same log finishes.
/// </summary>
public sealed class FeeBumpBtcTests(SwapWorld world, BcoinFixture bitcoin, ITestOutputHelper output) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly Money BtcAmount = BtcSwapKit.BtcAmount;
    private static readonly FeeRate MinerFloor = new(Money.Satoshis(3000)); // above the engine's 2 sat/vB

    [Fact]
    public async Task A_claim_the_miner_leaves_out_is_replaced_and_the_replacement_pays_out()
    {
        Assert.True(bitcoin.FeeRate < MinerFloor);
        // Take the participant's coin now: taking it later may mine with the node's own miner, which would take the cheap claim.
        var s = await new BtcSwapKit(world, bitcoin).CreateAsync(btcInitiator: false, t1Blocks: 900, t2Blocks: 200, await bitcoin.TakeCoinAsync());
        var btcLeg = s.Terms.ParticipantLeg;
        var contract = new HtlcContract(s.Terms.HashLock, s.Initiator.BtcKey.PubKey, s.Participant.BtcKey.PubKey, (int)btcLeg.Timeout);

        var replacements = new ConcurrentQueue<Transaction>();
        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8) with { FeeBumpAfter = BtcSwapKit.BlockInterval * 2 };
        using var crash = new CancellationTokenSource();
        var crashed = false;
        var initiatorOptions = options with
        {
            OnEvent = e =>
            {
                if (e.Type != SwapEventTypes.FeeBumped) return;
                replacements.Enqueue(Transaction.Parse(e.Data["replay"]!.GetValue<string>(), bitcoin.Network));
                if (crashed) return;
                crashed = true;
                crash.Cancel(); // dropped right after logging the first replacement, before broadcasting it
            },
        };
        SwapState[] ends;
        await using (new RegtestMiner(bitcoin, BtcSwapKit.BlockInterval, mempool => PickAsync(contract, replacements, mempool)))
        {
            var participantEnd = Drive.ToEndAsync(s.Engine(SwapRole.Participant, options), TimeSpan.FromSeconds(80));
            var initiatorEnd = await Drive.CrashThenResumeAsync(s.Engine(SwapRole.Initiator, initiatorOptions), crash, SwapEventTypes.FeeBumped,
                s.Initiator.Ext.Store, s.Initiator.Legs, initiatorOptions, TimeSpan.FromSeconds(80));
            ends = [initiatorEnd, await participantEnd];
        }
        output.WriteLine(Drive.Describe(ends[0]));

        Assert.Equal("completed", ends[0].Outcome);
        Assert.Equal("completed", ends[1].Outcome);
        var sends = ends[0].ClaimSends;
        Assert.True(sends.Count >= 2, "the claim was replaced at least once");
        var original = Transaction.Parse(sends[0].Replay!, bitcoin.Network);
        Assert.True(bitcoin.FeeRate.GetFee(original.GetVirtualSize()) <= HtlcFeeBumper.FeeOf(original, BtcAmount)); // sent at the engine's rate
        var mined = sends.Single(x => x.Tx == ends[0].CounterClaimTx);
        Assert.NotEqual(sends[0].Tx, mined.Tx);
        var replacement = Transaction.Parse(mined.Replay!, bitcoin.Network);
        var fee = HtlcFeeBumper.FeeOf(replacement, BtcAmount);
        Assert.True(fee >= HtlcFeeBumper.FeeOf(original, BtcAmount) + HtlcFeeBumper.DefaultIncrementalRelayFee.GetFee(replacement.GetVirtualSize()));
        Assert.True(new FeeRate(fee, replacement.GetVirtualSize()) <= new FeeRate(Money.Satoshis(options.MaxBitcoinFeeRate * 1000)));
        // The payout is the amount less the replacement's fee; the original never made it into a block.
        Assert.Equal(BtcAmount - fee, await bitcoin.ConfirmedBalanceAsync(s.Initiator.BtcReceive, s.StartHeight));
        Assert.Null(await bitcoin.Client.GetTransactionAsync(original.GetHash()));
        Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(s.Participant.BtcReceive, s.StartHeight));
        Assert.Equal(BtcSwapKit.ExtAmount, await world.ExtBalanceAsync(s.Participant.Ext.ExtReceive));
        Assert.Equal(s.Secret, ends[1].Secret); // read from the original claim's witness in the mempool
        output.WriteLine($"original fee {HtlcFeeBumper.FeeOf(original, BtcAmount)}, replacement fee {fee}");
        // Sending the original again now, its input spent by the mined replacement: the leg hands back bcoin's reason (the engine makes it a notice).
        var refusal = await s.Initiator.Legs.For(BitcoinLeg.ChainName).BroadcastSettleAsync(sends[0].Sent, CancellationToken.None);
        Assert.False(string.IsNullOrWhiteSpace(refusal), "the node refused the spent claim with a reason");
        output.WriteLine($"refused: {refusal}");
    }

    /// <summary>
    /// A block of the node's mempool less any spend of the HTLC below <see cref="MinerFloor"/>, plus
    /// the replacements the engine logged whose input is still unspent.
    /// </summary>
    private async Task<IReadOnlyList<Transaction>> PickAsync(HtlcContract contract, ConcurrentQueue<Transaction> replacements, IReadOnlyList<Transaction> mempool)
    {
        var picked = mempool.Where(tx => HtlcSpend.TryRead(contract, tx, 0, null) == null
            || new FeeRate(HtlcFeeBumper.FeeOf(tx, BtcAmount), tx.GetVirtualSize()) >= MinerFloor).ToList();
        foreach (var replacement in replacements.ToArray())
        {
            if (await bitcoin.Client.GetTxOutAsync(replacement.Inputs[0].PrevOut, includeMempool: false) != null
                && picked.All(t => t.Inputs.All(i => i.PrevOut != replacement.Inputs[0].PrevOut)))
                picked.Add(replacement);
        }
        return picked;
    }
}
