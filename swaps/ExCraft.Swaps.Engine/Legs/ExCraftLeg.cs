using System.Diagnostics;
using System.Numerics;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Swaps.Engine.Legs;

/// <summary>
/// The native leg: the node's htlc module (kinds 80-82, docs/htlc.md) over JSON-RPC, signed with
/// the project's own transaction code. The lock's id is known before it is sent
/// (keccak(sender ‖ nonce)), so the signed lock is logged with its id and a resend after a crash
/// is the very same transaction: it can never lock twice. An HTLC this key already holds under
/// exactly the agreed terms (the one a swap offer's take created) is adopted instead of locking.
/// Heights are converted to wall time with the chain's block interval.
/// </summary>
public sealed class ExCraftLeg(ExCraftRpc rpc, PrivateKey key, TimeSpan blockInterval, UInt128 fee) : ISwapLeg
{
    public const string ChainName = "excraft";
    public static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim sending = new(1, 1); // one transaction at a time, so pending nonces never collide
    private ulong? chainId;

    public string Chain => ChainName;
    public Address Address => key.Address;

    public async Task<BigInteger> NowAsync(CancellationToken ct) => (await rpc.CallAsync("ext_blockNumber", ct))!.GetValue<ulong>();

    public TimeSpan Remaining(BigInteger now, BigInteger timeout) =>
        timeout <= now ? TimeSpan.Zero : blockInterval * (double)(timeout - now);

    /// <summary>A refund is valid in a block at or above the timeout height: the next block is head + 1.</summary>
    public bool RefundOpen(BigInteger now, BigInteger timeout) => now + 1 >= timeout;

    public async Task<PreparedLock> PrepareLockAsync(LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        if (terms.Amount > UInt128.MaxValue || terms.Timeout > ulong.MaxValue) throw new ArgumentException("amount or timeout out of range for ExCraft");
        var payload = new HtlcLockPayload(Address.Parse(terms.Recipient), terms.Asset, (UInt128)terms.Amount, hashLock, (ulong)terms.Timeout,
            Address.Parse(terms.RefundAddress));
        // A taken swap offer already locked this leg in the take (docs/swap-offers.md): adopt that HTLC, never lock a second time.
        if (await FindOwnLockAsync(terms, hashLock, ct) is { } existing) return new PreparedLock(existing, null, null);
        await sending.WaitAsync(ct);
        try
        {
            var nonce = await NonceAsync(ct);
            var tx = Transaction.Create(await ChainIdAsync(ct), nonce, fee, payload, key);
            return new PreparedLock(Hex.Encode(HtlcRules.IdOf(Address, nonce)), Hex.Encode(tx.Encoded), Hex.Encode(tx.Hash));
        }
        finally
        {
            sending.Release();
        }
    }

    public async Task<string?> BroadcastLockAsync(PreparedLock prepared, LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        if (prepared.Raw == null) // an adopted lock (made by a swap offer's take): nothing of ours to send
        {
            if (await GetLockAsync(prepared.Ref, terms, hashLock, ct) == null) throw new InvalidDataException($"the adopted HTLC {prepared.Ref} is not on chain");
            return null;
        }
        string? refusal = null;
        try
        {
            await rpc.CallAsync("ext_sendRawTransaction", ct, prepared.Raw ?? throw new InvalidDataException("an ExCraft lock is logged with its signed transaction"));
        }
        catch (ExCraftRpcException e)
        {
            refusal = e.Message; // already pending or already included (nonce used) after a crash: what is on chain decides
        }
        if (prepared.Extra is { } hash) await TryWaitForReceiptAsync(hash, ct);
        return refusal;
    }

    public async Task<ObservedLock?> GetLockAsync(string lockRef, LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        var htlc = await rpc.CallAsync("htlc_get", ct, lockRef) as JsonObject;
        return htlc == null ? null : Read(htlc, await NowAsync(ct));
    }

    public async Task<IReadOnlyList<ObservedLock>> FindLocksAsync(LegTerms expected, byte[] hashLock, CancellationToken ct)
    {
        var recipient = Address.Parse(expected.Recipient).ToString();
        var refund = Address.Parse(expected.RefundAddress).ToString();
        var head = await NowAsync(ct);
        return (await ByHashLockAsync(hashLock, ct)).Select(h => Read(h, head))
            .Where(o => o.Status == LockStatus.Open && o.Recipient == recipient && o.RefundAddress == refund).ToList();
    }

    /// <summary>
    /// The id of an HTLC this key already holds under exactly these terms (sender this key, the same
    /// hash, asset, amount, recipient, refund address and timeout), whatever its status: the one a
    /// swap offer's take created. Null when there is none (the usual case: lock anew).
    /// </summary>
    private async Task<string?> FindOwnLockAsync(LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        var self = Address.ToString();
        var recipient = Address.Parse(terms.Recipient).ToString();
        var refund = Address.Parse(terms.RefundAddress).ToString();
        return (await ByHashLockAsync(hashLock, ct)).FirstOrDefault(h =>
            h["sender"]!.GetValue<string>() == self && h["recipient"]!.GetValue<string>() == recipient
            && h["refundAddress"]!.GetValue<string>() == refund && h["asset"]!.GetValue<string>() == terms.Asset
            && BigInteger.Parse(h["amount"]!.GetValue<string>()) == terms.Amount && h["timeoutHeight"]!.GetValue<ulong>() == terms.Timeout
            && Hex.Decode(h["hashLock"]!.GetValue<string>()).AsSpan().SequenceEqual(hashLock))?["id"]!.GetValue<string>();
    }

    /// <summary>Every HTLC on chain under this hash lock (htlc_getByHashLock: one call, oldest lock first, at most 100).</summary>
    private async Task<IReadOnlyList<JsonObject>> ByHashLockAsync(byte[] hashLock, CancellationToken ct) =>
        (await rpc.CallAsync("htlc_getByHashLock", ct, Hex.Encode(hashLock)))!.AsArray().Select(n => n!.AsObject()).ToList();

    public Task<string> PrepareRefundAsync(ObservedLock observed, CancellationToken ct) =>
        Task.FromResult(Hex.Encode(new HtlcRefundPayload(Hex.Decode(observed.Ref)).Encode())); // anyone may submit it; signed when due

    public Task<string> ClaimAsync(ObservedLock observed, byte[] preimage, CancellationToken ct) =>
        SendAsync(new HtlcClaimPayload(Hex.Decode(observed.Ref), preimage), ct);

    public Task<string> RefundAsync(ObservedLock observed, string preparedRefund, CancellationToken ct) =>
        SendAsync(new HtlcRefundPayload(Hex.Decode(observed.Ref)), ct);

    /// <summary>Signs with the next pending nonce, sends, and waits for a successful receipt.</summary>
    private async Task<string> SendAsync(TxPayload payload, CancellationToken ct)
    {
        string hash;
        await sending.WaitAsync(ct);
        try
        {
            var tx = Transaction.Create(await ChainIdAsync(ct), await NonceAsync(ct), fee, payload, key);
            hash = (await rpc.CallAsync("ext_sendRawTransaction", ct, Hex.Encode(tx.Encoded)))!.GetValue<string>();
        }
        finally
        {
            sending.Release();
        }
        var receipt = await TryWaitForReceiptAsync(hash, ct) ?? throw new TimeoutException($"{payload.Kind} {hash} not included within {ReceiptTimeout.TotalSeconds:0} s");
        if (receipt["status"]?.GetValue<string>() != "success")
            throw new InvalidOperationException($"{payload.Kind} {hash} failed: {receipt["error"]?.GetValue<string>()}");
        return hash;
    }

    private async Task<JsonObject?> TryWaitForReceiptAsync(string hash, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReceiptTimeout)
        {
            if (await rpc.CallAsync("ext_getTransactionReceipt", ct, hash) is JsonObject receipt) return receipt;
            await Task.Delay(50, ct);
        }
        return null;
    }

    private async Task<ulong> NonceAsync(CancellationToken ct) =>
        (await rpc.CallAsync("ext_getNonce", ct, Address.ToString(), "pending"))!.GetValue<ulong>();

    private async Task<ulong> ChainIdAsync(CancellationToken ct) =>
        chainId ??= (await rpc.CallAsync("ext_chainId", ct))!.GetValue<ulong>();

    private static ObservedLock Read(JsonObject h, BigInteger head)
    {
        var status = h["status"]!.GetValue<string>() switch
        {
            "locked" => LockStatus.Open,
            "claimed" => LockStatus.Claimed,
            "refunded" => LockStatus.Refunded,
            var other => throw new InvalidDataException($"unknown HTLC status {other}"),
        };
        var lockHeight = h["lockHeight"]!.GetValue<ulong>();
        return new ObservedLock(
            h["id"]!.GetValue<string>(), h["asset"]!.GetValue<string>(), BigInteger.Parse(h["amount"]!.GetValue<string>()),
            h["recipient"]!.GetValue<string>(), h["refundAddress"]!.GetValue<string>(), Hex.Decode(h["hashLock"]!.GetValue<string>()),
            h["timeoutHeight"]!.GetValue<ulong>(), (long)(head - lockHeight + 1), status,
            h["preimage"] is JsonValue p ? Hex.Decode(p.GetValue<string>()) : null,
            h["settledHeight"] is JsonValue s ? $"block {s.GetValue<ulong>()}" : null);
    }
}
