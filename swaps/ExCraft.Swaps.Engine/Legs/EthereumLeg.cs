using System.Numerics;
using ExCraft.Swaps.Ethereum;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;

namespace ExCraft.Swaps.Engine.Legs;

/// <summary>
/// The Ethereum leg: ETH or an ERC20 token in the ExCraftHtlc contract (docs/swaps.md), through
/// the Ethereum driver. A swap there is the hash of its terms, so the lock's reference (the swap
/// id) is known before sending, and a second lock of the same terms is refused by the contract
/// (SwapExists): resending after a crash cannot lock twice. An ETH lock, claims and refunds are
/// signed first (the engine logs them), then broadcast without waiting for a block, and replaced
/// with higher fees at the same nonce if they sit unmined, so at most one version is ever mined. The chain's clock is the latest
/// block's timestamp; timeouts are unix seconds. The contract's events are read from
/// <c>scanFromBlock</c> on and kept.
/// </summary>
public sealed class EthereumLeg(TransactionSender sender, HtlcClient htlc, BigInteger scanFromBlock) : ISwapLeg
{
    public const string ChainName = "ethereum";
    /// <summary>The asset name of ether; a token is named by its contract address.</summary>
    public const string Ether = "ETH";

    private readonly HtlcWatcher watcher = new(htlc.Web3, htlc.ContractAddress, scanFromBlock);
    private readonly List<HtlcEvent> events = [];
    private readonly SemaphoreSlim reading = new(1, 1);

    public string Chain => ChainName;
    public string Address => sender.Address;

    public async Task<BigInteger> NowAsync(CancellationToken ct) =>
        (await htlc.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())).Timestamp.Value;

    public TimeSpan Remaining(BigInteger now, BigInteger timeout) => timeout <= now ? TimeSpan.Zero : TimeSpan.FromSeconds((double)(timeout - now));

    /// <summary>The latest block is at or past the timeout, so every later block is too: only a refund can succeed.</summary>
    public bool RefundOpen(BigInteger now, BigInteger timeout) => now >= timeout;

    /// <summary>
    /// An ETH lock is signed here with the next nonce (the raw transaction goes into the log); a
    /// token lock needs an approval mined first, so it is logged by its swap id only and sent at broadcast.
    /// </summary>
    public async Task<PreparedLock> PrepareLockAsync(LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        var contractTerms = ContractTerms(terms, hashLock);
        var id = contractTerms.SwapId().ToHex(true);
        if (!contractTerms.IsEth) return new PreparedLock(id, null, null);
        return new PreparedLock(id, SentTransactionJson.Write(await htlc.SignLockEthAsync(sender, contractTerms, ct)), null);
    }

    public async Task<string?> BroadcastLockAsync(PreparedLock prepared, LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        if (await GetLockAsync(prepared.Ref, terms, hashLock, ct) != null) return null;
        if (prepared.Raw != null)
            return await sender.BroadcastAsync(SentTransactionJson.Read(prepared.Raw)); // refused when known or replaced: the chain tells
        var contractTerms = ContractTerms(terms, hashLock);
        try
        {
            if (contractTerms.IsEth) await htlc.LockEthAsync(sender, contractTerms, ct);
            else await htlc.LockTokenAsync(sender, contractTerms, ct);
        }
        catch (ContractRevertException e) when (e.ErrorName == "SwapExists")
        {
            // Locked already (the first send went through before a crash): nothing to do.
        }
        return null;
    }

    public async Task<ObservedLock?> GetLockAsync(string lockRef, LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        var (all, head) = await EventsAsync(ct);
        var id = lockRef.HexToByteArray();
        var locked = all.OfType<HtlcLocked>().FirstOrDefault(e => e.SwapId.AsSpan().SequenceEqual(id));
        return locked == null ? null : Observe(locked, all, head);
    }

    public async Task<IReadOnlyList<ObservedLock>> FindLocksAsync(LegTerms expected, byte[] hashLock, CancellationToken ct)
    {
        var (all, head) = await EventsAsync(ct);
        return all.OfType<HtlcLocked>()
            .Where(l => Same(l.Terms.ClaimAddress, expected.Recipient) && Same(l.Terms.RefundAddress, expected.RefundAddress))
            .Select(l => Observe(l, all, head))
            .Where(l => l.Status == LockStatus.Open)
            .ToList();
    }

    public async Task<string> PrepareRefundAsync(ObservedLock observed, CancellationToken ct) =>
        htlc.RefundCallData(await TermsOfAsync(observed, ct)).ToHex(true); // anyone may send it once the timeout passes

    public async Task<string> ClaimAsync(ObservedLock observed, byte[] preimage, CancellationToken ct) =>
        (await htlc.ClaimAsync(sender, await TermsOfAsync(observed, ct), preimage, ct: ct)).TransactionHash;

    public async Task<string> RefundAsync(ObservedLock observed, string preparedRefund, CancellationToken ct) =>
        (await htlc.RefundAsync(sender, await TermsOfAsync(observed, ct), ct: ct)).TransactionHash;

    public async Task<SentSettle> SignClaimAsync(ObservedLock observed, byte[] preimage, CancellationToken ct) =>
        Settle(await htlc.SignClaimAsync(sender, await TermsOfAsync(observed, ct), preimage, ct));

    public async Task<SentSettle> SignRefundAsync(ObservedLock observed, string preparedRefund, CancellationToken ct) =>
        Settle(await htlc.SignRefundAsync(sender, await TermsOfAsync(observed, ct), ct));

    public Task<string?> BroadcastSettleAsync(SentSettle signed, CancellationToken ct) =>
        sender.BroadcastAsync(SentTransactionJson.Read(signed.Replay ?? throw new ArgumentException("an Ethereum settlement is logged signed")));

    /// <summary>The logged ETH lock re-signed at the same nonce with higher fees (see <see cref="ReplaceAsync"/>); null for a token lock or at the cap.</summary>
    public async Task<PreparedLock?> ReplaceLockAsync(PreparedLock stuck, SwapEngineOptions options, CancellationToken ct)
    {
        if (stuck.Raw == null) return null;
        var original = SentTransactionJson.Read(stuck.Raw);
        var fees = await ReplacementFeesAsync(original, options);
        return fees == null ? null : stuck with { Raw = SentTransactionJson.Write(sender.SignReplacement(original, fees)) };
    }

    /// <summary>
    /// The same call with the same nonce, signed (the engine logs it, then broadcasts it), its fees raised to the larger of the nodes' replacement
    /// minimum (+10% on both caps) and what the latest block's base fee asks for now, with the fee
    /// cap held at <see cref="SwapEngineOptions.MaxEthereumFeePerGas"/>; null when the minimum is already above it.
    /// </summary>
    public async Task<SentSettle?> ReplaceAsync(ObservedLock observed, SentSettle stuck, SwapEngineOptions options, CancellationToken ct)
    {
        var original = SentTransactionJson.Read(stuck.Replay ?? throw new ArgumentException("an Ethereum settlement is logged with its call"));
        var fees = await ReplacementFeesAsync(original, options);
        return fees == null ? null : Settle(sender.SignReplacement(original, fees));
    }

    private async Task<Eip1559Fees?> ReplacementFeesAsync(SentTransaction original, SwapEngineOptions options)
    {
        var minimum = original.Fees.Bumped(Eip1559Fees.MinimumBumpPercent);
        if (minimum.MaxFeePerGas > options.MaxEthereumFeePerGas) return null;
        var now = await sender.SuggestFeesAsync();
        var maxFee = BigInteger.Min(BigInteger.Max(minimum.MaxFeePerGas, now.MaxFeePerGas), options.MaxEthereumFeePerGas);
        var tip = BigInteger.Min(BigInteger.Max(minimum.MaxPriorityFeePerGas, now.MaxPriorityFeePerGas), maxFee);
        return tip < minimum.MaxPriorityFeePerGas ? null : new Eip1559Fees(tip, maxFee);
    }

    private static SentSettle Settle(SentTransaction sent) => new(sent.Hash, SentTransactionJson.Write(sent));

    /// <summary>The contract's terms of a lock, as its Locked event recorded them.</summary>
    private async Task<SwapTerms> TermsOfAsync(ObservedLock observed, CancellationToken ct)
    {
        var (all, _) = await EventsAsync(ct);
        var id = observed.Ref.HexToByteArray();
        return all.OfType<HtlcLocked>().First(e => e.SwapId.AsSpan().SequenceEqual(id)).Terms;
    }

    private static SwapTerms ContractTerms(LegTerms terms, byte[] hashLock) => new(
        hashLock, terms.Amount, string.Equals(terms.Asset, Ether, StringComparison.OrdinalIgnoreCase) ? SwapTerms.Eth : terms.Asset,
        terms.Recipient, terms.RefundAddress, terms.Timeout);

    private static ObservedLock Observe(HtlcLocked locked, IReadOnlyList<HtlcEvent> all, BigInteger head)
    {
        var settle = all.FirstOrDefault(e => e is HtlcClaimed or HtlcRefunded && e.SwapId.AsSpan().SequenceEqual(locked.SwapId));
        var t = locked.Terms;
        return new ObservedLock(
            locked.SwapId.ToHex(true), t.IsEth ? Ether : t.Token, t.Amount, t.ClaimAddress, t.RefundAddress, t.HashLock, t.Timeout,
            (long)(head - locked.BlockNumber + 1),
            settle switch { HtlcClaimed => LockStatus.Claimed, HtlcRefunded => LockStatus.Refunded, _ => LockStatus.Open },
            (settle as HtlcClaimed)?.Preimage, settle?.TransactionHash);
    }

    /// <summary>Every event of the contract since the scan start, read incrementally, with the head block they were read at.</summary>
    private async Task<(IReadOnlyList<HtlcEvent> Events, BigInteger Head)> EventsAsync(CancellationToken ct)
    {
        await reading.WaitAsync(ct);
        try
        {
            events.AddRange(await watcher.PollAsync());
            return (events.ToList(), watcher.NextBlock - 1);
        }
        finally
        {
            reading.Release();
        }
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
