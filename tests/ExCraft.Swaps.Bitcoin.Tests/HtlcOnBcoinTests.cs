using ExCraft.Swaps.Bitcoin;
using NBitcoin;
using Xunit.Abstractions;

namespace ExCraft.Swaps.Bitcoin.Tests;

/// <summary>
/// The HTLC against a real bcoin regtest node: every outcome is read back from the node's
/// UTXO set (gettxout) and mempool, never from logs.
/// </summary>
public sealed class HtlcOnBcoinTests(BcoinFixture fixture, ITestOutputHelper output) : IClassFixture<BcoinFixture>
{
    private static readonly Money Amount = Money.Coins(1m);

    /// <summary>
    /// How long a transaction the node must refuse is given to show up anyway. Each refusal is
    /// also checked another way (submitblock's verdict, or what the mempool keeps), so a short
    /// wait cannot pass off a slow acceptance as a refusal.
    /// </summary>
    private static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(2);
    private Network Network => fixture.Network;
    private BitcoinNodeClient Client => fixture.Client;

    private sealed record Swap(HtlcContract Contract, Key ClaimKey, Key RefundKey, byte[] Preimage);

    private static Swap NewSwap(int timeoutHeight, byte[]? preimage = null)
    {
        preimage ??= RandomUtils.GetBytes(32);
        var claimKey = new Key();
        var refundKey = new Key();
        return new Swap(new HtlcContract(HtlcContract.HashOf(preimage), claimKey.PubKey, refundKey.PubKey, timeoutHeight), claimKey, refundKey, preimage);
    }

    private static Script FreshDestination() => new Key().PubKey.WitHash.ScriptPubKey;

    private async Task<bool> InMempoolAsync(uint256 txid) => (await Client.GetMempoolTxIdsAsync()).Contains(txid);

    [Fact]
    public async Task Claim_with_the_preimage_pays_the_claim_address_and_spends_the_htlc()
    {
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        Assert.Equal(Amount, (await Client.GetTxOutAsync(funded.HtlcOutpoint, includeMempool: false))!.TxOut.Value);

        var destination = FreshDestination();
        var claim = HtlcSpendBuilder.BuildClaim(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, swap.Preimage, destination, fixture.FeeRate, Network);
        Assert.Equal(claim.GetHash(), await Client.SendAsync(claim));
        await fixture.MineAsync(1);

        var fee = fixture.FeeRate.GetFee(claim.GetVirtualSize());
        Assert.Equal(Amount - fee, await fixture.ConfirmedBalanceAsync(destination, start));
        Assert.Null(await Client.GetTxOutAsync(funded.HtlcOutpoint, includeMempool: true));
        output.WriteLine($"funding {funded.Transaction.GetVirtualSize()} vB (1 P2WPKH in, HTLC + change out), claim {claim.GetVirtualSize()} vB, fee {fee}");
    }

    [Fact]
    public async Task Refund_is_refused_before_the_timeout_height_and_pays_the_refund_address_after_it()
    {
        var start = await fixture.TipAsync();
        var timeout = start + 6;
        var swap = NewSwap(timeout);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        var destination = FreshDestination();
        var refund = HtlcSpendBuilder.BuildRefund(swap.Contract, funded.HtlcOutpoint, Amount, swap.RefundKey, destination, fixture.FeeRate, Network);
        Assert.Equal(timeout, refund.LockTime.Height);

        // A lock time below the script's height: the script (CLTV) refuses it even once final.
        var early = HtlcSpendBuilder.BuildRefundUnchecked(swap.Contract, funded.HtlcOutpoint, Amount, swap.RefundKey, destination, fixture.FeeRate, Network, (uint)start);
        var cltv = await Assert.ThrowsAsync<TransactionRejectedException>(() => Client.SendAsync(early, RefusalWait));
        Assert.Equal("rejected: mandatory-script-verify-flag-failed", (await RegtestBlockBuilder.TryMineAsync(Client, fixture.MinerAddress.ScriptPubKey, early)).Verdict);

        // Mine up to one block before the timeout: the next block would be at height `timeout`,
        // and a lock time equal to the next block's height is not final yet.
        await fixture.MineAsync(timeout - 1 - await fixture.TipAsync());
        Assert.Equal(timeout - 1, await fixture.TipAsync());
        await Assert.ThrowsAsync<TransactionRejectedException>(() => Client.SendAsync(refund, RefusalWait));
        Assert.False(await InMempoolAsync(refund.GetHash()));
        // The same refund in a block at height `timeout` is refused by consensus as non-final.
        Assert.Equal("rejected: bad-txns-nonfinal", (await RegtestBlockBuilder.TryMineAsync(Client, fixture.MinerAddress.ScriptPubKey, refund)).Verdict);
        Assert.NotNull(await Client.GetTxOutAsync(funded.HtlcOutpoint, includeMempool: true));

        await fixture.MineAsync(1);
        Assert.Equal(refund.GetHash(), await Client.SendAsync(refund));
        var watcher = new HtlcWatcher(Client, swap.Contract, start);
        var pending = await watcher.ScanAsync();
        Assert.Equal([(HtlcSpendKind.Refund, (int?)null)], pending.Spends.Select(s => (s.Kind, s.Height)));
        Assert.Null(pending.Preimage);

        await fixture.MineAsync(1);
        Assert.Equal(Amount - fixture.FeeRate.GetFee(refund.GetVirtualSize()), await fixture.ConfirmedBalanceAsync(destination, start));
        Assert.Null(await Client.GetTxOutAsync(funded.HtlcOutpoint, includeMempool: true));
        var confirmed = await watcher.ScanAsync();
        Assert.Equal([(HtlcSpendKind.Refund, (int?)(timeout + 1))], confirmed.Spends.Select(s => (s.Kind, s.Height)));
        output.WriteLine($"refund {refund.GetVirtualSize()} vB");
    }

    [Fact]
    public async Task Claim_with_a_wrong_32_byte_preimage_is_rejected_by_the_script()
    {
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        var wrong = RandomUtils.GetBytes(32);
        var claim = HtlcSpendBuilder.BuildClaimUnchecked(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, wrong, FreshDestination(), fixture.FeeRate, Network);

        await Assert.ThrowsAsync<TransactionRejectedException>(() => Client.SendAsync(claim, RefusalWait));
        // In a block, the node's consensus script check names the failure.
        Assert.Equal("rejected: mandatory-script-verify-flag-failed", (await RegtestBlockBuilder.TryMineAsync(Client, fixture.MinerAddress.ScriptPubKey, claim)).Verdict);
        Assert.False(await InMempoolAsync(claim.GetHash()));
        Assert.Equal(Amount, (await Client.GetTxOutAsync(funded.HtlcOutpoint, includeMempool: true))!.TxOut.Value);

        // The same output still opens with the right secret.
        var right = HtlcSpendBuilder.BuildClaim(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, swap.Preimage, FreshDestination(), fixture.FeeRate, Network);
        Assert.Equal(right.GetHash(), await Client.SendAsync(right));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public async Task Claim_with_a_preimage_of_the_wrong_length_is_rejected_even_when_it_hashes_right(int length)
    {
        var start = await fixture.TipAsync();
        // The hash is of this very preimage, so only the OP_SIZE 32 check can refuse it.
        var swap = NewSwap(start + 50, RandomUtils.GetBytes(length));
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        Assert.Throws<ArgumentException>(() => HtlcSpendBuilder.BuildClaim(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, swap.Preimage, FreshDestination(), fixture.FeeRate, Network));
        var claim = HtlcSpendBuilder.BuildClaimUnchecked(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, swap.Preimage, FreshDestination(), fixture.FeeRate, Network);

        await Assert.ThrowsAsync<TransactionRejectedException>(() => Client.SendAsync(claim, RefusalWait));
        // In a block, the node's consensus script check names the failure.
        Assert.Equal("rejected: mandatory-script-verify-flag-failed", (await RegtestBlockBuilder.TryMineAsync(Client, fixture.MinerAddress.ScriptPubKey, claim)).Verdict);
        Assert.False(await InMempoolAsync(claim.GetHash()));
        await fixture.MineAsync(1);
        Assert.Equal(Amount, (await Client.GetTxOutAsync(funded.HtlcOutpoint, includeMempool: true))!.TxOut.Value);
    }

    [Fact]
    public async Task Watcher_sees_funding_and_claim_in_mempool_then_in_blocks_and_extracts_the_preimage()
    {
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var watcher = new HtlcWatcher(Client, swap.Contract, start + 1);
        Assert.Empty((await watcher.ScanAsync()).Fundings);

        var funded = HtlcFunding.Build(Network, swap.Contract, Amount, [await fixture.TakeCoinAsync()], [fixture.MinerKey], fixture.MinerAddress.ScriptPubKey, fixture.FeeRate);
        await Client.SendAsync(funded.Transaction);
        var seen = await watcher.ScanAsync();
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, null)], seen.Fundings);

        await fixture.MineAsync(1);
        var fundedAt = await fixture.TipAsync();
        seen = await watcher.ScanAsync();
        Assert.Equal([new HtlcFundingSeen(funded.HtlcOutpoint, Amount, fundedAt)], seen.Fundings);
        Assert.Empty(seen.Spends);
        Assert.Null(seen.Preimage);

        var claim = HtlcSpendBuilder.BuildClaim(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, swap.Preimage, FreshDestination(), fixture.FeeRate, Network);
        await Client.SendAsync(claim);
        seen = await watcher.ScanAsync();
        Assert.Equal(swap.Preimage, seen.Preimage);
        Assert.Equal((HtlcSpendKind.Claim, claim.GetHash(), funded.HtlcOutpoint, (int?)null),
            (seen.Spends.Single().Kind, seen.Spends.Single().TxId, seen.Spends.Single().Spent, seen.Spends.Single().Height));

        await fixture.MineAsync(1);
        seen = await watcher.ScanAsync();
        Assert.Equal((HtlcSpendKind.Claim, claim.GetHash(), (int?)(fundedAt + 1)), (seen.Spends.Single().Kind, seen.Spends.Single().TxId, seen.Spends.Single().Height));
        Assert.Equal(swap.Preimage, seen.Preimage);

        // A second watcher starting from scratch reads the same history from the blocks alone.
        var fresh = await new HtlcWatcher(Client, swap.Contract, start).ScanAsync();
        Assert.Equal(seen.Fundings, fresh.Fundings);
        Assert.Equal(swap.Preimage, fresh.Preimage);
    }

    [Fact]
    public async Task A_stuck_claim_is_replaced_by_a_higher_fee_claim_that_confirms()
    {
        var start = await fixture.TipAsync();
        var swap = NewSwap(start + 50);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        var destination = FreshDestination();
        var original = HtlcSpendBuilder.BuildClaim(swap.Contract, funded.HtlcOutpoint, Amount, swap.ClaimKey, swap.Preimage, destination, fixture.FeeRate, Network);
        await Client.SendAsync(original);
        Assert.True(await InMempoolAsync(original.GetHash()));

        var bumped = HtlcFeeBumper.BumpClaim(swap.Contract, original, Amount, swap.ClaimKey, swap.Preimage, new FeeRate(Money.Satoshis(10_000)), Network);
        var originalFee = HtlcFeeBumper.FeeOf(original, Amount);
        var bumpedFee = HtlcFeeBumper.FeeOf(bumped, Amount);
        Assert.Equal(original.Inputs[0].PrevOut, bumped.Inputs[0].PrevOut);
        Assert.True(bumpedFee >= originalFee + HtlcFeeBumper.DefaultIncrementalRelayFee.GetFee(bumped.GetVirtualSize()), $"{bumpedFee} vs {originalFee}");

        // bcoin 1.0.2 has no BIP125 replacement in its mempool: it refuses any double spend
        // (bad-txns-inputs-spent in its log) and keeps the original.
        await Assert.ThrowsAsync<TransactionRejectedException>(() => Client.SendAsync(bumped, RefusalWait));
        Assert.True(await InMempoolAsync(original.GetHash()));

        // A miner that takes the higher fee puts the replacement in a block; the node validates
        // it in full and drops the original from its mempool as a conflict.
        await RegtestBlockBuilder.MineAsync(Client, fixture.MinerAddress.ScriptPubKey, bumped);
        Assert.False(await InMempoolAsync(original.GetHash()));
        Assert.Equal(Amount - bumpedFee, await fixture.ConfirmedBalanceAsync(destination, start));
        Assert.Null(await Client.GetTxOutAsync(funded.HtlcOutpoint, includeMempool: true));
        var seen = await new HtlcWatcher(Client, swap.Contract, start).ScanAsync();
        Assert.Equal(bumped.GetHash(), seen.Spends.Single().TxId);
        Assert.Equal(swap.Preimage, seen.Preimage);
        output.WriteLine($"original fee {originalFee}, bumped fee {bumpedFee}");
    }

    [Fact]
    public async Task A_stuck_refund_is_replaced_by_a_higher_fee_refund_that_confirms()
    {
        var start = await fixture.TipAsync();
        var timeout = start + 3;
        var swap = NewSwap(timeout);
        var funded = await fixture.FundAndConfirmAsync(swap.Contract, Amount);
        await fixture.MineAsync(timeout - await fixture.TipAsync());
        var destination = FreshDestination();
        var original = HtlcSpendBuilder.BuildRefund(swap.Contract, funded.HtlcOutpoint, Amount, swap.RefundKey, destination, fixture.FeeRate, Network);
        await Client.SendAsync(original);

        var bumped = HtlcFeeBumper.BumpRefund(swap.Contract, original, Amount, swap.RefundKey, new FeeRate(Money.Satoshis(6_000)), Network);
        Assert.Equal(original.LockTime, bumped.LockTime);
        await RegtestBlockBuilder.MineAsync(Client, fixture.MinerAddress.ScriptPubKey, bumped);

        Assert.False(await InMempoolAsync(original.GetHash()));
        Assert.Equal(Amount - HtlcFeeBumper.FeeOf(bumped, Amount), await fixture.ConfirmedBalanceAsync(destination, start));
        Assert.True(HtlcFeeBumper.FeeOf(bumped, Amount) > HtlcFeeBumper.FeeOf(original, Amount));
        var seen = await new HtlcWatcher(Client, swap.Contract, start).ScanAsync();
        Assert.Equal([(HtlcSpendKind.Refund, bumped.GetHash())], seen.Spends.Select(x => (x.Kind, x.TxId)));
    }

    [Fact]
    public async Task Fee_estimate_falls_back_to_the_floor_on_a_node_without_history()
    {
        var estimator = new FeeEstimator(Client.Raw, fixture.FeeRate);
        Assert.Null(await estimator.NodeEstimateAsync(2));
        Assert.Equal(fixture.FeeRate, await estimator.EstimateAsync(2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => estimator.EstimateAsync(0));
    }
    [Fact]
    public async Task Bcoin_accepts_the_addresses_NBitcoin_prints_for_bcoins_regtest()
    {
        var swap = NewSwap(2_000);
        var key = new Key();
        BitcoinAddress[] addresses =
        [
            swap.Contract.Address(Network),                                  // P2WSH, rb1q...
            key.PubKey.GetAddress(ScriptPubKeyType.Segwit, Network),         // P2WPKH, rb1q...
            key.PubKey.GetAddress(ScriptPubKeyType.Legacy, Network),         // P2PKH, base58 0x3c
            key.PubKey.GetAddress(ScriptPubKeyType.SegwitP2SH, Network),     // P2SH, base58 0x26
        ];
        foreach (var address in addresses)
        {
            var result = await Client.Raw.CallAsync("validateaddress", default, address.ToString());
            Assert.True(result!["isvalid"]!.GetValue<bool>(), address.ToString());
            Assert.Equal(Convert.ToHexStringLower(address.ScriptPubKey.ToBytes()), result["scriptPubKey"]!.GetValue<string>());
        }
        // Bitcoin Core's regtest prefix (bcrt) is not bcoin's.
        var core = await Client.Raw.CallAsync("validateaddress", default, swap.Contract.Address(BitcoinNetworks.CoreRegtest).ToString());
        Assert.False(core!["isvalid"]!.GetValue<bool>());
    }
}
