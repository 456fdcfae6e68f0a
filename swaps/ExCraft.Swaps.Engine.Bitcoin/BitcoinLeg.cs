using System.Collections.Concurrent;
using System.Numerics;
using ExCraft.Swaps.Bitcoin;
using NBitcoin;

namespace ExCraft.Swaps.Engine.Bitcoin;

/// <summary>Coins to fund a lock with: the coins, the keys that sign them, and where the change goes.</summary>
public sealed record BitcoinFunds(IReadOnlyList<ICoin> Coins, IReadOnlyList<Key> Keys, Script Change);

/// <summary>
/// The Bitcoin leg: the P2WSH HTLC of the Bitcoin driver (docs/swaps-bitcoin.md). On this chain a
/// leg's <c>Recipient</c> and <c>RefundAddress</c> are the compressed public keys (hex) the script
/// commits to; this party's key is one of them, and what it claims or refunds is paid to
/// <paramref name="destination"/>. The funding transaction is signed before it is logged, so a
/// resend after a crash is the same transaction; the refund is signed as soon as the lock confirms
/// and kept in the log. A lock is found by its script, which the agreed terms fix entirely, so a
/// lock under another hash, key or timeout is a different address and is never seen; a lock of
/// the wrong amount is seen and refused by the audit. Claims and refunds count once the node has
/// accepted them (the watcher reads the mempool too); heights are converted to wall time with
/// <paramref name="blockInterval"/>.
/// </summary>
public sealed class BitcoinLeg(
    BitcoinNodeClient node, Key key, Func<Money, CancellationToken, Task<BitcoinFunds>> funds, Script destination, FeeRate feeRate,
    TimeSpan blockInterval, int scanFromHeight) : ISwapLeg
{
    public const string ChainName = "bitcoin";
    public const string Asset = "BTC";
    private readonly ConcurrentDictionary<Script, HtlcWatcher> watchers = new();

    public string Chain => ChainName;
    public string PubKeyHex => key.PubKey.ToHex();

    public async Task<BigInteger> NowAsync(CancellationToken ct) => await node.GetBlockCountAsync(ct);

    public TimeSpan Remaining(BigInteger now, BigInteger timeout) => timeout <= now ? TimeSpan.Zero : blockInterval * (double)(timeout - now);

    /// <summary>The refund's nLockTime is the timeout height: final in the block after it, so from a tip at the timeout on.</summary>
    public bool RefundOpen(BigInteger now, BigInteger timeout) => now >= timeout;

    public async Task<PreparedLock> PrepareLockAsync(LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        var contract = ContractOf(terms, hashLock);
        var amount = Money.Satoshis((long)terms.Amount);
        var source = await funds(amount, ct);
        var funded = HtlcFunding.Build(node.Network, contract, amount, source.Coins, source.Keys, source.Change, feeRate);
        return new PreparedLock(funded.HtlcOutpoint.ToString(), funded.Transaction.ToHex(), null);
    }

    public async Task<string?> BroadcastLockAsync(PreparedLock prepared, LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        var tx = Transaction.Parse(prepared.Raw ?? throw new InvalidDataException("a Bitcoin lock is logged with its signed funding"), node.Network);
        string? refusal = null;
        try
        {
            await node.SendAsync(tx, ct);
        }
        catch (TransactionRejectedException e)
        {
            if (!await node.IsKnownAsync(tx.GetHash(), ct)) throw; // otherwise it is already in the mempool or mined
            refusal = e.Reason;
        }
        if (prepared.Extra is { Length: > 0 } child) // the CPFP child of a stuck funding, sent either way; refused once mined or known
        {
            var childRefusal = await BroadcastSettleAsync(new SentSettle("", child), ct);
            refusal ??= childRefusal is null ? null : "its fee-bump child: " + childRefusal;
        }
        return refusal;
    }

    /// <summary>
    /// Bumps a funding that sits unconfirmed by CPFP, not RBF: a child spending its change output
    /// pays for both at twice the leg's fee rate (capped), and is logged in the lock's
    /// <see cref="PreparedLock.Extra"/>. bcoin 1.0.2 refuses replacements but accepts a child of an
    /// unconfirmed parent, and the funding (so the HTLC outpoint, the lock's reference) stays the
    /// same. One child per lock: null once there is one, when the change key is not among the
    /// coin source's keys, or when the change cannot pay.
    /// </summary>
    public async Task<PreparedLock?> ReplaceLockAsync(PreparedLock stuck, SwapEngineOptions options, CancellationToken ct)
    {
        if (stuck.Raw == null || stuck.Extra != null) return null;
        var parent = Transaction.Parse(stuck.Raw, node.Network);
        var htlc = OutPoint.Parse(stuck.Ref);
        var source = await funds(Money.Zero, ct); // for its keys: the change key signs the child
        for (var i = 0; i < parent.Outputs.Count; i++)
        {
            if (i == htlc.N) continue;
            var changeKey = source.Keys.FirstOrDefault(k => k.PubKey.WitHash.ScriptPubKey == parent.Outputs[i].ScriptPubKey);
            if (changeKey == null) continue;
            var cap = new FeeRate(Money.Satoshis(options.MaxBitcoinFeeRate * 1000));
            var target = new FeeRate(feeRate.FeePerK * 2);
            if (target > cap) target = cap;
            if (target <= feeRate) return null;
            var parentFee = feeRate.GetFee(parent.GetVirtualSize()); // the funding was built at the leg's rate
            var child = HtlcFeeBumper.BuildCpfpChild(parent, i, changeKey, parentFee, target, node.Network);
            return child == null ? null : stuck with { Extra = child.ToHex() };
        }
        return null;
    }

    public async Task<ObservedLock?> GetLockAsync(string lockRef, LegTerms terms, byte[] hashLock, CancellationToken ct) =>
        (await ScanAsync(terms, hashLock, ct)).FirstOrDefault(l => l.Ref == lockRef);

    public async Task<IReadOnlyList<ObservedLock>> FindLocksAsync(LegTerms expected, byte[] hashLock, CancellationToken ct) =>
        (await ScanAsync(expected, hashLock, ct)).Where(l => l.Status == LockStatus.Open).ToList();

    public Task<string> PrepareRefundAsync(ObservedLock observed, CancellationToken ct)
    {
        var contract = ContractOf(observed);
        var refund = HtlcSpendBuilder.BuildRefund(contract, OutPoint.Parse(observed.Ref), Money.Satoshis((long)observed.Amount), key, destination, feeRate, node.Network);
        return Task.FromResult(refund.ToHex());
    }

    public async Task<string> ClaimAsync(ObservedLock observed, byte[] preimage, CancellationToken ct)
    {
        var claim = HtlcSpendBuilder.BuildClaim(ContractOf(observed), OutPoint.Parse(observed.Ref), Money.Satoshis((long)observed.Amount), key, preimage,
            destination, feeRate, node.Network);
        return (await node.SendAsync(claim, ct)).ToString();
    }

    public async Task<string> RefundAsync(ObservedLock observed, string preparedRefund, CancellationToken ct)
    {
        var refund = preparedRefund.Length > 0
            ? Transaction.Parse(preparedRefund, node.Network)
            : Transaction.Parse(await PrepareRefundAsync(observed, ct), node.Network);
        return (await node.SendAsync(refund, ct)).ToString();
    }

    public Task<SentSettle> SignClaimAsync(ObservedLock observed, byte[] preimage, CancellationToken ct)
    {
        var claim = HtlcSpendBuilder.BuildClaim(ContractOf(observed), OutPoint.Parse(observed.Ref), Money.Satoshis((long)observed.Amount), key, preimage,
            destination, feeRate, node.Network);
        return Task.FromResult(new SentSettle(claim.GetHash().ToString(), claim.ToHex()));
    }

    public async Task<SentSettle> SignRefundAsync(ObservedLock observed, string preparedRefund, CancellationToken ct)
    {
        var refund = Transaction.Parse(preparedRefund.Length > 0 ? preparedRefund : await PrepareRefundAsync(observed, ct), node.Network);
        return new SentSettle(refund.GetHash().ToString(), refund.ToHex());
    }

    /// <summary>
    /// Sends a logged claim, refund or replacement. A refusal is not an error: already in the
    /// mempool or mined, or a replacement the node keeps out (bcoin 1.0.2 has no BIP125 in its
    /// mempool), which stays valid, logged and signed, for a miner that takes it.
    /// </summary>
    public async Task<string?> BroadcastSettleAsync(SentSettle signed, CancellationToken ct)
    {
        var tx = Transaction.Parse(signed.Replay ?? throw new ArgumentException("a Bitcoin settlement is logged signed"), node.Network);
        try
        {
            await node.SendAsync(tx, ReplacementAcceptanceWait, ct);
            return null;
        }
        catch (TransactionRejectedException e)
        {
            return e.Reason; // see above: the engine reads the chain to know which logged version counts
        }
    }

    /// <summary>
    /// BIP125 replacement of a stuck claim or refund (HtlcFeeBumper): twice the last one's fee rate,
    /// at least its fee plus the incremental relay fee, at most <see cref="SwapEngineOptions.MaxBitcoinFeeRate"/>;
    /// null when the cap leaves no room. A node that refuses it (bcoin 1.0.2 has no BIP125 in its
    /// mempool) does not stop it: it is logged, signed, for miners that take it, and the next
    /// replacement builds on it.
    /// </summary>
    public async Task<SentSettle?> ReplaceAsync(ObservedLock observed, SentSettle stuck, SwapEngineOptions options, CancellationToken ct)
    {
        var original = Transaction.Parse(stuck.Replay ?? throw new ArgumentException("a Bitcoin settlement is logged signed"), node.Network);
        var contract = ContractOf(observed);
        var amount = Money.Satoshis((long)observed.Amount);
        var spend = HtlcSpend.TryRead(contract, original, 0, null) ?? throw new InvalidDataException("the logged settlement does not spend this HTLC");
        var cap = new FeeRate(Money.Satoshis(options.MaxBitcoinFeeRate * 1000));
        var originalRate = new FeeRate(HtlcFeeBumper.FeeOf(original, amount), original.GetVirtualSize());
        var target = new FeeRate(originalRate.FeePerK * 2);
        if (target > cap) target = cap;
        if (target <= originalRate) return null;
        var replacement = spend.Kind == HtlcSpendKind.Claim
            ? HtlcFeeBumper.BumpClaim(contract, original, amount, key, spend.Preimage!, target, node.Network)
            : HtlcFeeBumper.BumpRefund(contract, original, amount, key, target, node.Network);
        if (new FeeRate(HtlcFeeBumper.FeeOf(replacement, amount), replacement.GetVirtualSize()) > cap) return null;
        return new SentSettle(replacement.GetHash().ToString(), replacement.ToHex()); // the engine logs it, then broadcasts it
    }

    /// <summary>A Bitcoin funding stays valid after its HTLC's timeout: a logged one not on chain is never concluded as unlocked.</summary>
    public bool LateLockRefused => false;

    /// <summary>How long a broadcast is given to show in the node's mempool; a node without BIP125 never shows it.</summary>
    private static readonly TimeSpan ReplacementAcceptanceWait = TimeSpan.FromSeconds(2);

    private static HtlcContract ContractOf(LegTerms terms, byte[] hashLock)
    {
        if (terms.Timeout > HtlcContract.MaxHeight) throw new ArgumentException("a Bitcoin timeout is a block height");
        return new HtlcContract(hashLock, new PubKey(terms.Recipient), new PubKey(terms.RefundAddress), (int)terms.Timeout);
    }

    private static HtlcContract ContractOf(ObservedLock l) =>
        new(l.HashLock, new PubKey(l.Recipient), new PubKey(l.RefundAddress), (int)l.Timeout);

    /// <summary>Every funding of this terms' script, in blocks and in the mempool, with how it was spent.</summary>
    private async Task<IReadOnlyList<ObservedLock>> ScanAsync(LegTerms terms, byte[] hashLock, CancellationToken ct)
    {
        var contract = ContractOf(terms, hashLock);
        var watcher = watchers.GetOrAdd(contract.ScriptPubKey, _ => new HtlcWatcher(node, contract, scanFromHeight));
        var activity = await watcher.ScanAsync(ct); // the engine steps one at a time, so one scan per watcher at once
        return activity.Fundings.Select(f =>
        {
            var spend = activity.Spends.FirstOrDefault(s => s.Spent == f.Outpoint);
            return new ObservedLock(
                f.Outpoint.ToString(), Asset, f.Amount.Satoshi, contract.ClaimPubKey.ToHex(), contract.RefundPubKey.ToHex(), contract.PaymentHash,
                contract.TimeoutHeight, f.Height is { } h ? activity.Tip - h + 1 : 0,
                spend == null ? LockStatus.Open : spend.Kind == HtlcSpendKind.Claim ? LockStatus.Claimed : LockStatus.Refunded,
                spend?.Preimage, spend?.TxId.ToString())
            {
                SettleConfirmations = spend?.Height is { } sh ? activity.Tip - sh + 1 : 0,
            };
        }).ToList();
    }
}
