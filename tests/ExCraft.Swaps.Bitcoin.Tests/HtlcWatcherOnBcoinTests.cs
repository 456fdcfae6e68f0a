using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// The watcher against a real bcoin regtest node: a block mined exactly between its block scan
/// and its mempool read, reorganisations made with bcoin's invalidateblock and a competing
/// branch handed over by submitblock, and a persisted scan cursor.
/// </summary>
public sealed class HtlcWatcherOnBcoinTests(BcoinFixture fixture) : IClassFixture<BcoinFixture>
{
    private static readonly Money Amount = Money.Coins(1m);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private Network Network => fixture.Network;
    private BitcoinNodeClient Client => fixture.Client;

    private sealed record Swap(HtlcContract Contract, Key ClaimKey, byte[] Preimage);

    private static Swap NewSwap(int timeoutHeight)
    {
        var preimage = RandomUtils.GetBytes(32);
        var claimKey = new Key();
        return new Swap(new HtlcContract(HtlcContract.HashOf(preimage), claimKey.PubKey, new Key().PubKey, timeoutHeight), claimKey, preimage);
    }

    private static Script FreshDestination() => new Key().PubKey.WitHash.ScriptPubKey;

    private Transaction Claim(Swap swap, HtlcFunding.Funded funded) =>
        HtlcSpendBuilder.BuildClaim(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, swap.Preimage, FreshDestination(), fixture.FeeRate, Network);

    private async Task<HtlcFunding.Funded> FundInMempoolAsync(Swap swap, Coin coin)
    {
        var funded = HtlcFunding.Build(Network, swap.Contract, Amount, [coin], [fixture.MinerKey], fixture.MinerAddress.ScriptPubKey, fixture.FeeRate);
        await Client.SendAsync(funded.Transaction);
        return funded;
    }

    private async Task<uint256> BlockHashAsync(int height) =>
        await Client.GetBlockHashAsync(height) ?? throw new InvalidOperationException($"no block at {height}");

    /// <summary>bcoin's invalidateblock: the block and its descendants leave the best chain; returns the new tip height.</summary>
    private async Task<int> InvalidateAsync(uint256 block)
    {
        await Client.Raw.CallAsync("invalidateblock", default, block.ToString());
        return await fixture.TipAsync();
    }

    /// <summary>Mines one block (with bcoin's own miner) from inside the watcher's scan, and waits until the mempool has let go of <paramref name="txid"/>.</summary>
    private async Task<int> MineTakingFromMempoolAsync(uint256 txid)
    {
        await fixture.MineAsync(1);
        var deadline = DateTime.UtcNow + Bound;
        while ((await Client.GetMempoolTxIdsAsync()).Contains(txid))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{txid} still in the mempool after it was mined");
            await Task.Delay(50);
        }
        return await fixture.TipAsync();
    }

    [Fact]
    public async Task A_funding_and_a_claim_mined_between_the_block_scan_and_the_mempool_read_are_seen_confirmed()
    {
        var coin = await fixture.TakeCoinAsync(); // first: taking a coin may mine blocks
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var watcher = new HtlcWatcher(Client, swap.Contract, start + 1);
        Assert.Empty((await watcher.ScanAsync()).Fundings);

        var funded = await FundInMempoolAsync(swap, coin);
        int? fundedAt = null;
        watcher.BetweenBlocksAndMempool = async _ => fundedAt ??= await MineTakingFromMempoolAsync(funded.Transaction.GetHash());
        var seen = await watcher.ScanAsync();
        // The hook ran once, after the blocks up to the old tip were read and before the
        // mempool was: the funding was in neither, and the scan still reports it, confirmed.
        Assert.Equal(start + 1, fundedAt);
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], seen.Fundings);
        Assert.Equal((fundedAt!.Value, await BlockHashAsync(fundedAt.Value)), (seen.Cursor!.Height, seen.Cursor.Hash));
        Assert.Equal(fundedAt, seen.Tip);

        var claim = Claim(swap, funded);
        await Client.SendAsync(claim);
        int? claimedAt = null;
        watcher.BetweenBlocksAndMempool = async _ => claimedAt ??= await MineTakingFromMempoolAsync(claim.GetHash());
        seen = await watcher.ScanAsync();
        Assert.Equal(fundedAt + 1, claimedAt);
        var spend = Assert.Single(seen.Spends);
        Assert.Equal((HtlcSpendKind.Claim, claim.GetHash(), funded.HtlcOutpoint, claimedAt), (spend.Kind, spend.TxId, spend.Spent, spend.Height));
        Assert.Equal(swap.Preimage, seen.Preimage);
        Assert.Null(seen.ForkHeight);
        Assert.Equal(0, watcher.Reorganisations);
    }

    [Fact]
    public async Task A_claim_reorganised_out_is_reported_unconfirmed_again_then_its_replacement_is_seen_on_the_longer_branch()
    {
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var watcher = new HtlcWatcher(Client, swap.Contract, start + 1);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        var fundedAt = await fixture.TipAsync();
        var claim = Claim(swap, funded);
        await Client.SendAsync(claim);
        await fixture.MineAsync(2);
        var claimedAt = fundedAt + 1;
        var oldTip = await fixture.TipAsync();

        var seen = await watcher.ScanAsync();
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], seen.Fundings);
        Assert.Equal((claim.GetHash(), (int?)claimedAt), (seen.Spends.Single().TxId, seen.Spends.Single().Height));
        Assert.Equal(swap.Preimage, seen.Preimage);
        Assert.Null(seen.ForkHeight);

        // The claim's block and the one on it leave the best chain.
        Assert.Equal(fundedAt, await InvalidateAsync(await BlockHashAsync(claimedAt)));
        seen = await watcher.ScanAsync();
        Assert.Equal(fundedAt, seen.ForkHeight);
        Assert.Equal(1, watcher.Reorganisations);
        var retracted = Assert.Single(seen.RetractedSpends);
        Assert.Equal((claim.GetHash(), (int?)claimedAt), (retracted.TxId, retracted.Height));
        Assert.Empty(seen.RetractedFundings); // the funding's block is still on the best chain
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], seen.Fundings);
        Assert.Equal(fundedAt, seen.Tip);
        Assert.Equal((fundedAt, await BlockHashAsync(fundedAt)), (seen.Cursor!.Height, seen.Cursor.Hash));
        // bcoin 1.0.2's invalidateblock does not return a disconnected block's transactions to its
        // mempool: the claim is gone from the node's view, and from the watcher's.
        Assert.DoesNotContain(claim.GetHash(), await Client.GetMempoolTxIdsAsync());
        Assert.Empty(seen.Spends);
        Assert.Null(seen.Preimage);

        // Broadcast again, it is unconfirmed: seen with no height, and the secret is known again.
        await Client.SendAsync(claim);
        seen = await watcher.ScanAsync();
        Assert.Null(seen.ForkHeight);
        Assert.Empty(seen.RetractedSpends);
        Assert.Equal([(claim.GetHash(), (int?)null)], seen.Spends.Select(s => (s.TxId, s.Height)).ToList());
        Assert.Equal(swap.Preimage, seen.Preimage);

        // A competing branch, longer than the old one, confirms a different claim of the same
        // output (the block wins over the mempool's claim, which bcoin then drops).
        var replacement = Claim(swap, funded);
        Assert.NotEqual(claim.GetHash(), replacement.GetHash());
        await RegtestBlockBuilder.MineAsync(Client, fixture.MinerAddress.ScriptPubKey, replacement);
        await fixture.MineAsync(2);
        Assert.Equal(oldTip + 1, await fixture.TipAsync());
        seen = await watcher.ScanAsync();
        Assert.Null(seen.ForkHeight); // nothing this watcher had scanned left the chain this time
        var spend = Assert.Single(seen.Spends);
        Assert.Equal((HtlcSpendKind.Claim, replacement.GetHash(), funded.HtlcOutpoint, (int?)claimedAt), (spend.Kind, spend.TxId, spend.Spent, spend.Height));
        Assert.Equal(swap.Preimage, seen.Preimage);
        Assert.Equal(oldTip + 1, seen.Tip);

        // A fresh watcher reading the same blocks from scratch agrees.
        var fresh = await new HtlcWatcher(Client, swap.Contract, start + 1).ScanAsync();
        Assert.Equal(seen.Fundings, fresh.Fundings);
        Assert.Equal(seen.Spends.Select(s => (s.TxId, s.Height)), fresh.Spends.Select(s => (s.TxId, s.Height)));
    }

    [Fact]
    public async Task A_funding_reorganised_out_deeper_than_the_window_is_retracted_and_found_again_from_the_start_height()
    {
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var watcher = new HtlcWatcher(Client, swap.Contract, start + 1, resumeFrom: null, reorgWindow: 2);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        var fundedAt = await fixture.TipAsync();
        await fixture.MineAsync(3);
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], (await watcher.ScanAsync()).Fundings);

        // The funding's block goes, 4 blocks deep: below the 2 hashes the watcher keeps.
        Assert.Equal(fundedAt - 1, await InvalidateAsync(await BlockHashAsync(fundedAt)));
        var seen = await watcher.ScanAsync();
        Assert.Equal(start, seen.ForkHeight); // no kept block matched: rescanned from the start height
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], seen.RetractedFundings);
        Assert.DoesNotContain(funded.Transaction.GetHash(), await Client.GetMempoolTxIdsAsync()); // bcoin drops it
        Assert.Empty(seen.Fundings);

        // Mined again on the new branch: confirmed at the same height, in a different block.
        await RegtestBlockBuilder.MineAsync(Client, fixture.MinerAddress.ScriptPubKey, funded.Transaction);
        seen = await watcher.ScanAsync();
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], seen.Fundings);
        Assert.Empty(seen.RetractedFundings);
        Assert.Equal(await BlockHashAsync(fundedAt), seen.Cursor!.Hash);
    }

    [Fact]
    public async Task A_watcher_resumed_from_a_persisted_cursor_reads_only_newer_blocks_and_starts_over_if_the_cursor_was_reorganised_out()
    {
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        var fundedAt = await fixture.TipAsync();
        var first = await new HtlcWatcher(Client, swap.Contract, start + 1).ScanAsync();
        Assert.Single(first.Fundings);
        var persisted = first.Cursor!.ToString();
        Assert.Equal($"{fundedAt}:{await BlockHashAsync(fundedAt)}", persisted);

        var claim = Claim(swap, funded);
        await Client.SendAsync(claim);
        await fixture.MineAsync(1);

        // Resumed after a "restart": the funding at the cursor is not read again, the claim after it is.
        var resumed = new HtlcWatcher(Client, swap.Contract, start + 1, BitcoinScanCursor.Parse(persisted));
        var seen = await resumed.ScanAsync();
        Assert.Empty(seen.Fundings);
        Assert.Equal((claim.GetHash(), (int?)(fundedAt + 1)), (seen.Spends.Single().TxId, seen.Spends.Single().Height));
        Assert.Equal(swap.Preimage, seen.Preimage);
        Assert.Null(seen.ForkHeight);

        // A cursor whose block has left the best chain: the watcher starts over from its start height.
        await fixture.MineAsync(1);
        var stale = (await resumed.ScanAsync()).Cursor!;
        Assert.Equal(fundedAt + 2, stale.Height);
        await InvalidateAsync(stale.Hash);
        await fixture.MineAsync(2);
        var restarted = new HtlcWatcher(Client, swap.Contract, start + 1, stale);
        seen = await restarted.ScanAsync();
        Assert.Equal(start, seen.ForkHeight);
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], seen.Fundings);
        Assert.Equal((claim.GetHash(), (int?)(fundedAt + 1)), (seen.Spends.Single().TxId, seen.Spends.Single().Height));
        Assert.Equal(await fixture.TipAsync(), seen.Cursor!.Height);

        Assert.Throws<FormatException>(() => BitcoinScanCursor.Parse("12"));
        Assert.Throws<FormatException>(() => BitcoinScanCursor.Parse("-1:" + new string('0', 64)));
        Assert.Throws<FormatException>(() => BitcoinScanCursor.Parse("12:abc"));
    }
}
