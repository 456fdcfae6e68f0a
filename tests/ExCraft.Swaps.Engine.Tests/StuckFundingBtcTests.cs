using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Bitcoin.Tests;
using ExCraft.Swaps.Engine.Bitcoin;
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
    private static readonly Money BtcAmount = BtcSwapKit.BtcAmount;
    private static readonly FeeRate MinerFloor = new(Money.Satoshis(3000)); // above the engine's 2 sat/vB

    [Fact]
    public async Task A_funding_the_miner_leaves_out_is_bumped_by_a_child_and_the_swap_completes()
    {
        Assert.True(bitcoin.FeeRate < MinerFloor);
        var coin = await bitcoin.TakeCoinAsync(); // the miner's coin: its key signs the funding and owns the change
        var s = await new BtcSwapKit(world, bitcoin).CreateAsync(btcInitiator: false, t1Blocks: 900, t2Blocks: 200, coin);
        var contract = new HtlcContract(s.Terms.HashLock, s.Initiator.BtcKey.PubKey, s.Participant.BtcKey.PubKey, (int)s.Terms.ParticipantLeg.Timeout);

        var options = Drive.Options(marginSeconds: 15, windowSeconds: 8) with { FeeBumpAfter = BtcSwapKit.BlockInterval * 2 };
        SwapState[] ends;
        await using (new RegtestMiner(bitcoin, BtcSwapKit.BlockInterval, mempool => Task.FromResult(Pick(contract, coin, mempool))))
        {
            ends = await Task.WhenAll(
                Drive.ToEndAsync(s.Engine(SwapRole.Initiator, options), TimeSpan.FromSeconds(80)),
                Drive.ToEndAsync(s.Engine(SwapRole.Participant, options), TimeSpan.FromSeconds(80)));
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
            await bitcoin.ConfirmedBalanceAsync(s.Initiator.BtcReceive, s.StartHeight));
        Assert.Equal(Money.Zero, await bitcoin.ConfirmedBalanceAsync(s.Participant.BtcReceive, s.StartHeight));
        Assert.Equal(BtcSwapKit.ExtAmount, await world.ExtBalanceAsync(s.Participant.Ext.ExtReceive));
        output.WriteLine($"funding fee {fundingFee}, child fee {childFee}");
    }

    /// <summary>
    /// A block of the node's mempool, leaving out a funding of the HTLC (and its children) while
    /// the package pays below <see cref="MinerFloor"/>.
    /// </summary>
    private static IReadOnlyList<Transaction> Pick(HtlcContract contract, ICoin fundingCoin, IReadOnlyList<Transaction> mempool)
    {
        var picked = new List<Transaction>();
        foreach (var tx in mempool)
        {
            var isFunding = tx.Outputs.Any(o => o.ScriptPubKey == contract.ScriptPubKey);
            var parent = mempool.FirstOrDefault(p => tx.Inputs.Any(i => i.PrevOut.Hash == p.GetHash()));
            if (isFunding) { if (PackagePays(tx, mempool, fundingCoin)) picked.Add(tx); }
            else if (parent == null || !parent.Outputs.Any(o => o.ScriptPubKey == contract.ScriptPubKey) || PackagePays(parent, mempool, fundingCoin)) picked.Add(tx);
        }
        return picked;
    }

    /// <summary>Whether the funding with its children in the pool pays the floor (its input is the test's coin).</summary>
    private static bool PackagePays(Transaction funding, IReadOnlyList<Transaction> pool, ICoin fundingCoin)
    {
        var children = pool.Where(c => c.Inputs.Any(i => i.PrevOut.Hash == funding.GetHash())).ToList();
        var fee = (Money)fundingCoin.Amount - funding.TotalOut
            + children.Sum(c => c.Inputs.Sum(i => i.PrevOut.Hash == funding.GetHash() ? funding.Outputs[i.PrevOut.N].Value : Money.Zero) - c.TotalOut);
        return new FeeRate(fee, funding.GetVirtualSize() + children.Sum(c => c.GetVirtualSize())) >= MinerFloor;
    }
}
