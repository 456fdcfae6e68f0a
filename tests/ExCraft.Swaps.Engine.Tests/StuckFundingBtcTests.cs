using System.Numerics;
using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;
using ExCraft.Swaps.Engine.Bitcoin;
using ExCraft.Swaps.Engine.Legs;
using NBitcoin;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The participant's BTC funding goes out at the engine's 2 sat/vB to a real bcoin regtest node
/// whose blocks the test builds itself, leaving out the funding while it and any child of it pay
/// below 3 sat/vB together (a miner that sorts by package rate). The engine must bump it by CPFP:
/// a child spending the funding's change, logged in <c>lock_fee_bumped</c> and accepted by bcoin
/// (which refuses replacements but not children); the package is mined and the swap completes with
/// the HTLC outpoint the funding had from the start.
/// </summary>
public sealed class StuckFundingBtcTests(SwapWorld world, BcoinFixture bitcoin, ITestOutputHelper output) : IClassFixture<SwapWorld>, IClassFixture<BcoinFixture>
{
    private static readonly TimeSpan BlockInterval = TimeSpan.FromMilliseconds(300);
    private static readonly BigInteger ExtAmount = Amount.FromWhole(2);
    private static readonly Money BtcAmount = Money.Satoshis(700_000);
    private static readonly FeeRate MinerFloor = new(Money.Satoshis(3000)); // above the engine's 2 sat/vB

    [Fact]
    public async Task A_funding_the_miner_leaves_out_is_bumped_by_a_child_and_the_swap_completes()
    {
        Assert.True(bitcoin.FeeRate < MinerFloor);
        var startHeight = await bitcoin.TipAsync();
        var initiator = await world.PartyAsync("initiator");
        var participant = await world.PartyAsync("participant");
        var (initiatorKey, participantKey) = (new Key(), new Key());
        var (initiatorReceive, participantRefund) = (new Key().PubKey.WitHash.ScriptPubKey, new Key().PubKey.WitHash.ScriptPubKey);
        var coin = await bitcoin.TakeCoinAsync(); // the miner's coin: its key signs the funding and owns the change
        SwapLegs Legs(Party party, Key key, Script destination) => new(party.ExtLeg, new BitcoinLeg(bitcoin.Client, key,
            (_, _) => Task.FromResult(new BitcoinFunds([coin], [bitcoin.MinerKey], bitcoin.MinerAddress.ScriptPubKey)),
            destination, bitcoin.FeeRate, BlockInterval, startHeight));

        var secret = RandomNumberGenerator.GetBytes(32);
        var terms = new SwapAgreement(SHA256.HashData(secret),
            new LegTerms(ExCraftLeg.ChainName, "EXT", ExtAmount, participant.ExtReceive.ToString(), initiator.ExtRefund.ToString(),
                await world.ExtHeightAsync() + 900, 1),
            new LegTerms(BitcoinLeg.ChainName, BitcoinLeg.Asset, BtcAmount.Satoshi, initiatorKey.PubKey.ToHex(), participantKey.PubKey.ToHex(),
                await bitcoin.TipAsync() + 200, 1));
        var contract = new HtlcContract(terms.HashLock, initiatorKey.PubKey, participantKey.PubKey, (int)terms.ParticipantLeg.Timeout);

        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8) with { FeeBumpAfter = BlockInterval * 2 };
        using var stopMining = new CancellationTokenSource();
        var mining = MineAsync(contract, coin, stopMining.Token);
        SwapState[] ends;
        try
        {
            ends = await Task.WhenAll(
                Drive.ToEndAsync(SwapEngine.Create(initiator.Store, terms, SwapRole.Initiator, secret, Legs(initiator, initiatorKey, initiatorReceive), options), TimeSpan.FromSeconds(80)),
                Drive.ToEndAsync(SwapEngine.Create(participant.Store, terms, SwapRole.Participant, null, Legs(participant, participantKey, participantRefund), options), TimeSpan.FromSeconds(80)));
        }
        finally
        {
            stopMining.Cancel();
            await mining;
        }
        output.WriteLine(Drive.Describe(ends[1]));

        Assert.Equal("completed", ends[0].Outcome);
        Assert.Equal("completed", ends[1].Outcome);
        var bump = Assert.Single(ends[1].Events, e => e.Type == SwapEventTypes.LockFeeBumped);
        var prepared = Assert.Single(ends[1].Events, e => e.Type == SwapEventTypes.OwnLockPrepared);
        var funding = Transaction.Parse(prepared.Data["raw"]!.GetValue<string>(), bitcoin.Network);
        Assert.Equal(funding.ToHex(), bump.Data["raw"]!.GetValue<string>()); // the funding itself is unchanged
        var child = Transaction.Parse(bump.Data["extra"]!.GetValue<string>(), bitcoin.Network);
        Assert.Equal(funding.GetHash(), child.Inputs.Single().PrevOut.Hash);
        Assert.Equal(ends[1].OwnLock!.Ref, ends[0].CounterLockRef); // the initiator accepted the original outpoint
        // Parent and child together pay at least the miner's floor, the parent alone did not.
        var fundingFee = coin.Amount - funding.TotalOut;
        var childFee = funding.Outputs[child.Inputs[0].PrevOut.N].Value - child.TotalOut;
        Assert.True(new FeeRate(fundingFee, funding.GetVirtualSize()) < MinerFloor);
        Assert.True(new FeeRate(fundingFee + childFee, funding.GetVirtualSize() + child.GetVirtualSize()) >= MinerFloor);
        Assert.NotNull(await bitcoin.Client.GetTxOutAsync(new OutPoint(child, 0), includeMempool: false)); // the child is in a block
        // The initiator's claim paid out the amount less the claim's fee; nothing came back to the participant.
        var claim = Assert.Single(ends[0].ClaimSends);
        Assert.Equal(BtcAmount - HtlcFeeBumper.FeeOf(Transaction.Parse(claim.Replay!, bitcoin.Network), BtcAmount),
            await bitcoin.ConfirmedBalanceAsync(initiatorReceive, startHeight));
        Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(participantRefund, startHeight));
        Assert.Equal(ExtAmount, await world.ExtBalanceAsync(participant.ExtReceive));
        output.WriteLine($"funding fee {fundingFee}, child fee {childFee}");
    }

    /// <summary>
    /// Every <see cref="BlockInterval"/>, a block of the node's mempool, leaving out a funding of the
    /// HTLC (and its children) while the package pays below <see cref="MinerFloor"/>.
    /// </summary>
    private async Task MineAsync(HtlcContract contract, ICoin fundingCoin, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var pool = new List<Transaction>();
            foreach (var txid in (await bitcoin.Client.GetMempoolTxIdsAsync()).OrderBy(t => t.ToString(), StringComparer.Ordinal))
            {
                if (await bitcoin.Client.GetTransactionAsync(txid) is { } tx) pool.Add(tx);
            }
            var picked = new List<Transaction>();
            foreach (var tx in pool)
            {
                var isFunding = tx.Outputs.Any(o => o.ScriptPubKey == contract.ScriptPubKey);
                var parent = pool.FirstOrDefault(p => tx.Inputs.Any(i => i.PrevOut.Hash == p.GetHash()));
                if (isFunding) { if (PackagePays(tx, pool, fundingCoin)) picked.Add(tx); }
                else if (parent == null || !parent.Outputs.Any(o => o.ScriptPubKey == contract.ScriptPubKey) || PackagePays(parent, pool, fundingCoin)) picked.Add(tx);
            }
            var ordered = picked.OrderBy(t => picked.Any(p => t.Inputs.Any(i => i.PrevOut.Hash == p.GetHash())) ? 1 : 0).ToArray(); // parents first
            await RegtestBlockBuilder.MineAsync(bitcoin.Client, bitcoin.MinerAddress.ScriptPubKey, ordered);
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

    /// <summary>Whether the funding with its children in the pool pays the floor (its input is the test's coin).</summary>
    private static bool PackagePays(Transaction funding, List<Transaction> pool, ICoin fundingCoin)
    {
        var children = pool.Where(c => c.Inputs.Any(i => i.PrevOut.Hash == funding.GetHash())).ToList();
        var fee = (Money)fundingCoin.Amount - funding.TotalOut
            + children.Sum(c => c.Inputs.Sum(i => i.PrevOut.Hash == funding.GetHash() ? funding.Outputs[i.PrevOut.N].Value : Money.Zero) - c.TotalOut);
        return new FeeRate(fee, funding.GetVirtualSize() + children.Sum(c => c.GetVirtualSize())) >= MinerFloor;
    }
}
