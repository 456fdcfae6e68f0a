using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// Follows one HTLC contract's logs block range by block range and decodes its Locked, Claimed
/// and Refunded events in chain order. Only blocks with at least <c>confirmations</c> blocks on
/// top are read, so with a positive value a reorganisation shallower than that is never seen.
/// <para>
/// The hashes of the last <see cref="ReorgWindow"/> blocks read are kept. Each poll first checks
/// that the last one is still on the best chain; when it is not, the watcher walks back to the
/// fork point, drops the events above it from <see cref="Events"/> (reported once as retracted)
/// and reads the new branch. Logs are checked against the block hashes read with them, so a
/// reorganisation during a poll makes it start over rather than mix two branches. The cursor
/// (<see cref="NextBlock"/>, <see cref="Cursor"/>) can be persisted and given back to resume
/// after a restart. docs/swaps.md "Watcher" has the details.
/// </para>
/// </summary>
public sealed class HtlcWatcher
{
    /// <summary>How many read block hashes are kept to find a fork point (deeper forks re-read from the start block).</summary>
    public const int DefaultReorgWindow = 64;

    /// <summary>How many times one poll starts over because the chain moved under it before giving up.</summary>
    private const int MaxRounds = 20;

    private readonly IWeb3 web3;
    private readonly string contractAddress;
    private readonly BigInteger fromBlock;
    private readonly int confirmations;
    private readonly List<HtlcEvent> events = [];
    // The blocks read, oldest first, at most ReorgWindow of them; the last is the cursor.
    private readonly List<EthereumScanCursor> scanned = [];

    public HtlcWatcher(IWeb3 web3, string contractAddress, BigInteger fromBlock, int confirmations = 0)
        : this(web3, contractAddress, fromBlock, confirmations, resumeFrom: null)
    {
    }

    /// <summary>
    /// A watcher that goes on after <paramref name="resumeFrom"/> (a cursor an earlier watcher
    /// reported) instead of reading from <paramref name="fromBlock"/>. Events at or below the
    /// cursor are not reported again: the caller keeps what it learnt then. If the cursor's
    /// block has left the best chain meanwhile, the watcher starts over from <paramref name="fromBlock"/>.
    /// A cursor below <paramref name="fromBlock"/> is ignored.
    /// </summary>
    public HtlcWatcher(IWeb3 web3, string contractAddress, BigInteger fromBlock, int confirmations, EthereumScanCursor? resumeFrom, int reorgWindow = DefaultReorgWindow)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(contractAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(confirmations);
        ArgumentOutOfRangeException.ThrowIfLessThan(reorgWindow, 1);
        this.web3 = web3;
        this.contractAddress = contractAddress;
        this.fromBlock = BigInteger.Max(fromBlock, 0);
        this.confirmations = confirmations;
        ReorgWindow = reorgWindow;
        NextBlock = this.fromBlock;
        if (resumeFrom is not null && resumeFrom.Number >= this.fromBlock)
        {
            scanned.Add(resumeFrom);
            NextBlock = resumeFrom.Number + 1;
        }
    }

    public BigInteger NextBlock { get; private set; }

    public int ReorgWindow { get; }

    /// <summary>The last block read (null before the first); persist it to resume later.</summary>
    public EthereumScanCursor? Cursor => scanned.Count == 0 ? null : scanned[^1];

    /// <summary>Every event read so far that is still on the best chain, oldest first.</summary>
    public IReadOnlyList<HtlcEvent> Events => events.ToArray();

    /// <summary>Reorganisations seen since this watcher was made.</summary>
    public int Reorganisations { get; private set; }

    /// <summary>The events logged since the last poll, oldest first (after a reorganisation, those of the new branch; see <see cref="PollChangesAsync"/>).</summary>
    public async Task<IReadOnlyList<HtlcEvent>> PollAsync() => (await PollChangesAsync()).Added;

    /// <summary>Reads the blocks since the last poll, following a reorganisation if there was one.</summary>
    public async Task<HtlcWatchUpdate> PollChangesAsync(CancellationToken ct = default)
    {
        var retracted = new List<HtlcEvent>();
        BigInteger? forkBlock = null;
        for (var round = 0; round < MaxRounds; round++)
        {
            ct.ThrowIfCancellationRequested();
            var latest = (await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
            if (await RewindIfReorganisedAsync(latest, retracted) is { } fork)
                forkBlock = forkBlock is { } earlier ? BigInteger.Min(earlier, fork) : fork;
            var head = latest - confirmations;
            if (head < NextBlock)
                return new HtlcWatchUpdate([], retracted, forkBlock);

            // Hashes first, then logs, then the head's hash again: logs read while the chain
            // moved either carry a hash that is not the one read here or the head changed.
            var blocks = await ReadLinkedBlocksAsync(BigInteger.Max(NextBlock, head - ReorgWindow + 1), head);
            if (blocks is null)
                continue;
            var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
            {
                Address = [contractAddress],
                FromBlock = new BlockParameter(new HexBigInteger(NextBlock)),
                ToBlock = new BlockParameter(new HexBigInteger(head)),
            });
            var hashes = blocks.ToDictionary(b => b.Number, b => b.Hash);
            if (logs.Any(l => hashes.TryGetValue(l.BlockNumber.Value, out var hash) && !SameHash(hash, l.BlockHash))
                || !SameHash(await HashAtAsync(head), blocks[^1].Hash))
            {
                continue;
            }

            var added = new List<HtlcEvent>();
            foreach (var log in logs.OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value))
            {
                var decoded = Decode(log);
                if (decoded != null) added.Add(decoded);
            }
            events.AddRange(added);
            scanned.AddRange(blocks);
            if (scanned.Count > ReorgWindow)
                scanned.RemoveRange(0, scanned.Count - ReorgWindow);
            NextBlock = head + 1;
            return new HtlcWatchUpdate(added, retracted, forkBlock);
        }
        throw new InvalidOperationException($"the chain moved during each of {MaxRounds} polls of HTLC contract {contractAddress}");
    }

    /// <summary>
    /// Walks back from the last block read to the newest one still on the best chain, drops the
    /// events above it and returns its number; null when nothing had to be dropped.
    /// </summary>
    private async Task<BigInteger?> RewindIfReorganisedAsync(BigInteger latest, List<HtlcEvent> retracted)
    {
        var dropped = false;
        while (scanned.Count > 0)
        {
            var last = scanned[^1];
            if (last.Number <= latest && SameHash(await HashAtAsync(last.Number), last.Hash))
                break;
            scanned.RemoveAt(scanned.Count - 1);
            dropped = true;
        }
        if (!dropped)
            return null;
        // No kept block is left on the best chain: the fork is deeper than the window (or the
        // resumed cursor's block is gone), so everything from the start block is read again.
        var fork = scanned.Count > 0 ? scanned[^1].Number : fromBlock - 1;
        retracted.AddRange(events.Where(e => e.BlockNumber > fork));
        events.RemoveAll(e => e.BlockNumber > fork);
        NextBlock = fork + 1;
        Reorganisations++;
        return fork;
    }

    /// <summary>The blocks <paramref name="from"/>..<paramref name="to"/>, each the parent of the next and the first a child of the cursor; null if the chain moved while they were read.</summary>
    private async Task<List<EthereumScanCursor>?> ReadLinkedBlocksAsync(BigInteger from, BigInteger to)
    {
        var blocks = new List<EthereumScanCursor>();
        var parent = Cursor is { } cursor && cursor.Number == from - 1 ? cursor.Hash : null;
        for (var n = from; n <= to; n++)
        {
            var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(n));
            if (block is null || (parent is not null && !SameHash(parent, block.ParentHash)))
                return null;
            blocks.Add(new EthereumScanCursor(n, block.BlockHash.ToLowerInvariant()));
            parent = block.BlockHash;
        }
        return blocks;
    }

    private async Task<string?> HashAtAsync(BigInteger number) =>
        (await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(number)))?.BlockHash;

    private static bool SameHash(string? a, string? b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Polls until a Claimed event for <paramref name="hashLock"/> appears and returns its secret
    /// (checked against the hash), or null after <paramref name="timeout"/>.
    /// </summary>
    public async Task<byte[]?> WaitForPreimageAsync(byte[] hashLock, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var preimage = FindPreimage(await PollAsync(), hashLock);
            if (preimage != null) return preimage;
            if (DateTime.UtcNow >= deadline) return null;
            await Task.Delay(100, ct);
        }
    }

    /// <summary>The secret revealed by a claim of this hash lock among <paramref name="events"/>.</summary>
    public static byte[]? FindPreimage(IEnumerable<HtlcEvent> events, byte[] hashLock)
    {
        foreach (var e in events)
        {
            if (e is HtlcClaimed claimed && claimed.HashLock.AsSpan().SequenceEqual(hashLock)
                && SwapTerms.HashOf(claimed.Preimage).AsSpan().SequenceEqual(hashLock))
            {
                return claimed.Preimage;
            }
        }
        return null;
    }

    private static HtlcEvent? Decode(FilterLog log)
    {
        var block = log.BlockNumber.Value;
        var index = log.LogIndex.Value;
        var tx = log.TransactionHash;
        if (log.IsLogForEvent<LockedEventDto>())
        {
            var e = log.DecodeEvent<LockedEventDto>().Event;
            var terms = new SwapTerms(e.HashLock, e.Amount, e.Token, e.ClaimAddress, e.RefundAddress, e.Timeout);
            return new HtlcLocked(e.SwapId, terms, block, index, tx);
        }
        if (log.IsLogForEvent<ClaimedEventDto>())
        {
            var e = log.DecodeEvent<ClaimedEventDto>().Event;
            return new HtlcClaimed(e.SwapId, e.HashLock, e.Preimage, block, index, tx);
        }
        if (log.IsLogForEvent<RefundedEventDto>())
        {
            var e = log.DecodeEvent<RefundedEventDto>().Event;
            return new HtlcRefunded(e.SwapId, e.HashLock, block, index, tx);
        }
        return null; // not an HTLC event (the contract logs no other)
    }
}
