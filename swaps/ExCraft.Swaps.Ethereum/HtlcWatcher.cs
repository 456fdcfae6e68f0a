using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// Follows one HTLC contract's logs block range by block range and decodes its Locked, Claimed
/// and Refunded events in chain order. Only blocks with at least <c>confirmations</c> blocks on
/// top are read, so with a positive value a shallow reorganisation is not reported. The cursor
/// (<see cref="NextBlock"/>) can be persisted and given back to resume after a restart.
/// </summary>
public sealed class HtlcWatcher(IWeb3 web3, string contractAddress, BigInteger fromBlock, int confirmations = 0)
{
    public BigInteger NextBlock { get; private set; } = fromBlock;

    /// <summary>The events logged since the last poll, oldest first.</summary>
    public async Task<IReadOnlyList<HtlcEvent>> PollAsync()
    {
        var head = (await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value - confirmations;
        if (head < NextBlock) return [];
        var filter = new NewFilterInput
        {
            Address = [contractAddress],
            FromBlock = new BlockParameter(new HexBigInteger(NextBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(head)),
        };
        var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(filter);
        var events = new List<HtlcEvent>();
        foreach (var log in logs.OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value))
        {
            var decoded = Decode(log);
            if (decoded != null) events.Add(decoded);
        }
        NextBlock = head + 1;
        return events;
    }

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
