using System.Numerics;
using ExCraft.Swaps.Ethereum;
using Nethereum.RPC.Eth.DTOs;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>
/// The watcher across reorganisations made by anvil's own anvil_reorg (the last blocks replaced
/// by new ones on the same parent, their transactions dropped), its confirmation depth, and a
/// persisted scan cursor. Each outcome is also checked on the contract (open or not, balances).
/// </summary>
public sealed class HtlcWatcherReorgTests(SwapChain chain) : IClassFixture<SwapChain>
{
    private static readonly BigInteger Amount = SwapChain.Ether;

    private async Task<BigInteger> HeadAsync() => (await chain.Node.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    private HtlcWatcher Watcher(BigInteger from, int confirmations = 0, EthereumScanCursor? resumeFrom = null, int reorgWindow = HtlcWatcher.DefaultReorgWindow) =>
        new(chain.Node.Web3, chain.Htlc.ContractAddress, from, confirmations, resumeFrom, reorgWindow);

    /// <summary>Replaces the last <paramref name="depth"/> blocks with empty ones on the same parent.</summary>
    private Task ReorgAsync(int depth) => chain.Node.Web3.Client.SendRequestAsync("anvil_reorg", null, depth, Array.Empty<object>());

    private async Task<string> RawTransactionAsync(string hash) =>
        await chain.Node.Web3.Client.SendRequestAsync<string>("eth_getRawTransactionByHash", null, hash);

    /// <summary>
    /// Sends a signed transaction again and waits (bounded) for its receipt: anvil mines on send,
    /// but on a loaded machine the answer can come before the block.
    /// </summary>
    private async Task<string> ResendAsync(string raw)
    {
        var hash = await chain.Node.Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(raw);
        Assert.NotNull(await TransactionSender.TryWaitForReceiptAsync(chain.Node.Web3, hash, HtlcClient.DefaultReceiptTimeout));
        return hash;
    }

    private async Task<string> HashAtAsync(BigInteger number) =>
        (await chain.Node.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(new Nethereum.Hex.HexTypes.HexBigInteger(number)))).BlockHash;

    [Fact]
    public async Task A_claim_reorganised_out_is_retracted_then_seen_again_when_it_is_mined_on_the_new_branch()
    {
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, SwapTerms.Eth);
        var watcher = Watcher(await HeadAsync() + 1);
        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var bobBefore = await chain.Node.BalanceAsync(chain.Bob.Address);
        var claim = await chain.Htlc.ClaimAsync(chain.Carol, terms, secret);
        var claimedAt = claim.BlockNumber.Value;
        Assert.Equal(locked.Receipt.BlockNumber.Value + 1, claimedAt);

        var update = await watcher.PollChangesAsync();
        Assert.Collection(update.Added,
            e => Assert.Equal(locked.SwapId, Assert.IsType<HtlcLocked>(e).SwapId),
            e =>
            {
                Assert.Equal(secret, Assert.IsType<HtlcClaimed>(e).Preimage);
                Assert.Equal(claimedAt, e.BlockNumber);
            });
        Assert.Empty(update.Retracted);
        Assert.Null(update.ForkBlock);
        Assert.Equal(secret, HtlcWatcher.FindPreimage(watcher.Events, terms.HashLock));

        // The claim's block is replaced by an empty one: the swap is open again on chain.
        var raw = await RawTransactionAsync(claim.TransactionHash);
        await ReorgAsync(1);
        Assert.True(await chain.Htlc.IsOpenAsync(locked.SwapId));
        Assert.Equal(bobBefore, await chain.Node.BalanceAsync(chain.Bob.Address));
        Assert.Equal(claimedAt, await HeadAsync());

        update = await watcher.PollChangesAsync();
        Assert.Equal(claimedAt - 1, update.ForkBlock);
        Assert.Empty(update.Added);
        var retracted = Assert.IsType<HtlcClaimed>(Assert.Single(update.Retracted));
        Assert.Equal((claim.TransactionHash, claimedAt), (retracted.TransactionHash, retracted.BlockNumber));
        Assert.Equal(locked.SwapId, Assert.IsType<HtlcLocked>(Assert.Single(watcher.Events)).SwapId);
        Assert.Null(HtlcWatcher.FindPreimage(watcher.Events, terms.HashLock));
        Assert.Equal(1, watcher.Reorganisations);
        Assert.Equal((claimedAt, await HashAtAsync(claimedAt)), (watcher.Cursor!.Number, watcher.Cursor.Hash));

        // The same signed claim is mined again, one block later on the new branch.
        Assert.Equal(claim.TransactionHash, await ResendAsync(raw));
        Assert.False(await chain.Htlc.IsOpenAsync(locked.SwapId));
        Assert.Equal(bobBefore + Amount, await chain.Node.BalanceAsync(chain.Bob.Address));
        update = await watcher.PollChangesAsync();
        Assert.Null(update.ForkBlock);
        Assert.Empty(update.Retracted);
        var again = Assert.IsType<HtlcClaimed>(Assert.Single(update.Added));
        Assert.Equal((claim.TransactionHash, claimedAt + 1), (again.TransactionHash, again.BlockNumber));
        Assert.Equal(secret, again.Preimage);
        Assert.Equal(2, watcher.Events.Count);
        Assert.Equal(secret, HtlcWatcher.FindPreimage(watcher.Events, terms.HashLock));
    }

    [Fact]
    public async Task A_lock_reorganised_out_is_retracted_by_a_watcher_at_depth_zero_and_never_reported_by_one_waiting_for_confirmations()
    {
        var terms = await chain.TermsAsync(chain.NewSecret(), Amount, SwapTerms.Eth);
        var start = await HeadAsync() + 1;
        var shallow = Watcher(start);
        var deep = Watcher(start, confirmations: 3);
        var narrow = Watcher(start, reorgWindow: 1);
        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var lockedAt = locked.Receipt.BlockNumber.Value;
        await chain.Node.MineAsync();

        Assert.Equal(locked.SwapId, Assert.Single((await shallow.PollChangesAsync()).Added).SwapId);
        Assert.Equal(locked.SwapId, Assert.Single((await narrow.PollChangesAsync()).Added).SwapId);
        Assert.Empty((await deep.PollChangesAsync()).Added); // 1 block on top of the lock, 3 wanted
        Assert.True(deep.NextBlock <= lockedAt);

        // The lock's block and the one on it are replaced, then the new branch grows past the old head.
        var raw = await RawTransactionAsync(locked.Receipt.TransactionHash);
        await ReorgAsync(2);
        Assert.False(await chain.Htlc.IsOpenAsync(locked.SwapId));
        for (var i = 0; i < 3; i++)
            await chain.Node.MineAsync();

        var update = await shallow.PollChangesAsync();
        Assert.Equal(lockedAt - 1, update.ForkBlock);
        Assert.Equal(locked.SwapId, Assert.Single(update.Retracted).SwapId);
        Assert.Empty(update.Added);
        Assert.Empty(shallow.Events);

        // A window of one hash cannot find the fork point 2 blocks down: it re-reads from its start.
        update = await narrow.PollChangesAsync();
        Assert.Equal(start - 1, update.ForkBlock);
        Assert.Equal(locked.SwapId, Assert.Single(update.Retracted).SwapId);
        Assert.Empty(narrow.Events);

        // The watcher 3 blocks behind the head never saw the lock, so it has nothing to take back.
        update = await deep.PollChangesAsync();
        Assert.Null(update.ForkBlock);
        Assert.Empty(update.Added);
        Assert.Empty(update.Retracted);
        Assert.Equal(0, deep.Reorganisations);
        Assert.Equal(await HeadAsync() - 3 + 1, deep.NextBlock);

        // The same signed lock is mined again on the new branch (which also puts Alice's nonce
        // back where her nonce manager has it); once 3 blocks bury it the deep watcher reports it, once.
        var relockHash = await ResendAsync(raw);
        Assert.True(await chain.Htlc.IsOpenAsync(locked.SwapId));
        var relockedAt = await HeadAsync();
        Assert.Equal(locked.SwapId, Assert.Single((await shallow.PollChangesAsync()).Added).SwapId);
        for (var i = 0; i < 3; i++)
            await chain.Node.MineAsync();
        update = await deep.PollChangesAsync();
        var seen = Assert.IsType<HtlcLocked>(Assert.Single(update.Added));
        Assert.Equal(locked.SwapId, seen.SwapId);
        Assert.Equal((relockedAt, locked.Receipt.TransactionHash), (seen.BlockNumber, seen.TransactionHash));
        Assert.Empty(update.Retracted);
        Assert.Empty((await deep.PollChangesAsync()).Added);
        Assert.Equal(relockHash, locked.Receipt.TransactionHash);
    }

    [Fact]
    public async Task A_watcher_resumed_from_a_persisted_cursor_reads_only_newer_blocks_and_starts_over_if_the_cursor_was_reorganised_out()
    {
        var secret = chain.NewSecret();
        var terms = await chain.TermsAsync(secret, Amount, SwapTerms.Eth);
        var start = await HeadAsync() + 1;
        var locked = await chain.Htlc.LockEthAsync(chain.Alice, terms);
        var first = Watcher(start);
        Assert.Equal(locked.SwapId, Assert.Single(await first.PollAsync()).SwapId);
        var persisted = first.Cursor!.ToString();
        Assert.Equal($"{locked.Receipt.BlockNumber.Value}:{locked.Receipt.BlockHash.ToLowerInvariant()}", persisted);

        var claim = await chain.Htlc.ClaimAsync(chain.Carol, terms, secret);
        var resumed = Watcher(start, resumeFrom: EthereumScanCursor.Parse(persisted));
        var update = await resumed.PollChangesAsync();
        Assert.Null(update.ForkBlock);
        var claimed = Assert.IsType<HtlcClaimed>(Assert.Single(update.Added)); // the lock, at the cursor, is not read again
        Assert.Equal(claim.TransactionHash, claimed.TransactionHash);
        Assert.Equal(secret, claimed.Preimage);

        // The cursor's own block leaves the chain while the watcher is "down": it starts over.
        await chain.Node.MineAsync();
        await resumed.PollChangesAsync();
        var stale = resumed.Cursor!;
        Assert.Equal(await HeadAsync(), stale.Number);
        await ReorgAsync(1);
        await chain.Node.MineAsync();
        var restarted = Watcher(start, resumeFrom: stale);
        update = await restarted.PollChangesAsync();
        Assert.Equal(start - 1, update.ForkBlock);
        Assert.Collection(update.Added,
            e => Assert.Equal(locked.SwapId, Assert.IsType<HtlcLocked>(e).SwapId),
            e => Assert.Equal(claim.TransactionHash, Assert.IsType<HtlcClaimed>(e).TransactionHash));
        Assert.Equal(await HeadAsync(), restarted.Cursor!.Number);

        Assert.Throws<FormatException>(() => EthereumScanCursor.Parse("12"));
        Assert.Throws<FormatException>(() => EthereumScanCursor.Parse("12:0x1234"));
        Assert.Throws<FormatException>(() => EthereumScanCursor.Parse("-1:0x" + new string('a', 64)));
    }
}
