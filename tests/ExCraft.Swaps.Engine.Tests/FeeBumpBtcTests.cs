using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;
using ExCraft.Swaps.Engine.Bitcoin;
using ExCraft.Swaps.Engine.Legs;
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
    private static readonly TimeSpan BlockInterval = TimeSpan.FromMilliseconds(300);
    private static readonly BigInteger ExtAmount = Amount.FromWhole(2);
    private static readonly Money BtcAmount = Money.Satoshis(800_000);
    private static readonly FeeRate MinerFloor = new(Money.Satoshis(3000)); // above the engine's 2 sat/vB

    [Fact]
    public async Task A_claim_the_miner_leaves_out_is_replaced_and_the_replacement_pays_out()
    {
        Assert.True(bitcoin.FeeRate < MinerFloor);
        var startHeight = await bitcoin.TipAsync();
        var initiator = await world.PartyAsync("initiator");
        var participant = await world.PartyAsync("participant");
        var (initiatorKey, participantKey) = (new Key(), new Key());
        var (initiatorReceive, participantRefund) = (new Key().PubKey.WitHash.ScriptPubKey, new Key().PubKey.WitHash.ScriptPubKey);
        // Take the participant's coin now: taking it later may mine with the node's own miner, which would take the cheap claim.
        var coin = await bitcoin.TakeCoinAsync();
        SwapLegs Legs(Party party, Key key, Script destination) => new(party.ExtLeg, new BitcoinLeg(bitcoin.Client, key,
            (_, _) => Task.FromResult(new BitcoinFunds([coin], [bitcoin.MinerKey], bitcoin.MinerAddress.ScriptPubKey)),
            destination, bitcoin.FeeRate, BlockInterval, startHeight));

        var secret = RandomNumberGenerator.GetBytes(32);
        var timeout = await bitcoin.TipAsync() + 200;
        var terms = new SwapAgreement(SHA256.HashData(secret),
            new LegTerms(ExCraftLeg.ChainName, "EXT", ExtAmount, participant.ExtReceive.ToString(), initiator.ExtRefund.ToString(),
                await world.ExtHeightAsync() + 900, 1),
            new LegTerms(BitcoinLeg.ChainName, BitcoinLeg.Asset, BtcAmount.Satoshi, initiatorKey.PubKey.ToHex(), participantKey.PubKey.ToHex(), timeout, 1));
        var contract = new HtlcContract(terms.HashLock, initiatorKey.PubKey, participantKey.PubKey, (int)timeout);

        var replacements = new ConcurrentQueue<Transaction>();
        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8) with { FeeBumpAfter = BlockInterval * 2 };
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
        using var stopMining = new CancellationTokenSource();
        var mining = MineAsync(contract, replacements, stopMining.Token);
        SwapState[] ends;
        try
        {
            var initiatorLegs = Legs(initiator, initiatorKey, initiatorReceive);
            var participantEnd = Drive.ToEndAsync(SwapEngine.Create(participant.Store, terms, SwapRole.Participant, null, Legs(participant, participantKey, participantRefund), options), TimeSpan.FromSeconds(80));
            var initiatorEngine = SwapEngine.Create(initiator.Store, terms, SwapRole.Initiator, secret, initiatorLegs, initiatorOptions);
            var initiatorEnd = await Drive.CrashThenResumeAsync(initiatorEngine, crash, SwapEventTypes.FeeBumped, initiator.Store, initiatorLegs, initiatorOptions, TimeSpan.FromSeconds(80));
            ends = [initiatorEnd, await participantEnd];
        }
        finally
        {
            stopMining.Cancel();
            await mining;
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
        Assert.Equal(BtcAmount - fee, await bitcoin.ConfirmedBalanceAsync(initiatorReceive, startHeight));
        Assert.Null(await bitcoin.Client.GetTransactionAsync(original.GetHash()));
        Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(participantRefund, startHeight));
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(participant.ExtReceive));
        Assert.Equal(secret, ends[1].Secret); // read from the original claim's witness in the mempool
        output.WriteLine($"original fee {HtlcFeeBumper.FeeOf(original, BtcAmount)}, replacement fee {fee}");
    }

    /// <summary>
    /// Every <see cref="BlockInterval"/>, a block of the node's mempool less any spend of the HTLC
    /// below <see cref="MinerFloor"/>, plus the replacements the engine logged whose input is still unspent.
    /// </summary>
    private async Task MineAsync(HtlcContract contract, ConcurrentQueue<Transaction> replacements, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var picked = new List<Transaction>();
            foreach (var txid in (await bitcoin.Client.GetMempoolTxIdsAsync()).OrderBy(t => t.ToString(), StringComparer.Ordinal))
            {
                var tx = await bitcoin.Client.GetTransactionAsync(txid);
                if (tx == null) continue;
                var spendsHtlc = HtlcSpend.TryRead(contract, tx, 0, null) != null;
                if (spendsHtlc && new FeeRate(HtlcFeeBumper.FeeOf(tx, BtcAmount), tx.GetVirtualSize()) < MinerFloor) continue;
                picked.Add(tx);
            }
            foreach (var replacement in replacements.ToArray())
            {
                if (await bitcoin.Client.GetTxOutAsync(replacement.Inputs[0].PrevOut, includeMempool: false) != null
                    && picked.All(t => t.Inputs.All(i => i.PrevOut != replacement.Inputs[0].PrevOut)))
                    picked.Add(replacement);
            }
            await RegtestBlockBuilder.MineAsync(bitcoin.Client, bitcoin.MinerAddress.ScriptPubKey, [.. InDependencyOrder(picked)]);
            try
            {
                await Task.Delay(BlockInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Parents before children: a transaction comes after any picked one whose output it spends.</summary>
    private static IEnumerable<Transaction> InDependencyOrder(List<Transaction> picked)
    {
        var left = picked.ToList();
        while (left.Count > 0)
        {
            var ids = left.Select(t => t.GetHash()).ToHashSet();
            var ready = left.Where(t => t.Inputs.All(i => !ids.Contains(i.PrevOut.Hash))).ToList();
            if (ready.Count == 0) throw new InvalidOperationException("a cycle among mempool transactions");
            foreach (var t in ready)
            {
                left.Remove(t);
                yield return t;
            }
        }
    }
}
