using System.Collections.Concurrent;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Encoding;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Mempool;

/// <summary>
/// Pending transactions. Each account's transactions form a gap-free nonce sequence starting at
/// its committed nonce, and must be affordable together; blocks take account heads by fee
/// priority. When full, the lowest-fee transaction that ends its account's sequence is evicted
/// for a better-paying one. After each block the touched accounts are re-checked.
/// Market limits (docs/markets.md, "Mempool limits"): pending order transactions per account are
/// capped, a block takes a capped number of them per account, cancels go into a block ahead of
/// every other account head, and a cancel that finds the pool full may evict a new order.
/// </summary>
public sealed class TransactionPool(TransactionExecutor executor, IStateReader committedState, MempoolOptions options)
{
    private readonly object _lock = new();
    // Changed only under the lock with the other maps, but read without it by Contains and Get: ingress asks
    // Contains of every transaction of a batch before decoding it, and those calls queued on the lock.
    private readonly ConcurrentDictionary<byte[], MempoolEntry> _byHash = new(ByteArrayComparer.Instance);
    private int _count; // _byHash's size, kept here: the concurrent map counts by taking all its locks
    private readonly Dictionary<Address, SortedList<ulong, MempoolEntry>> _byAccount = new();
    // Per account, what its pending transactions together may take, per asset: kept up to date so
    // admitting the next one does not add up all the earlier ones again.
    private readonly Dictionary<Address, SortedDictionary<string, UInt128>> _spendByAccount = new();
    private readonly Dictionary<Address, int> _pendingOrdersByAccount = new();
    private readonly SortedSet<MempoolEntry> _byFee = new(Comparer<MempoolEntry>.Create(CompareForEviction));
    private readonly SpendCalculator _spendOf = new(executor.Modules, committedState);
    private long _bytes;
    private long _sequence;

    /// <summary>Raised after a transaction is admitted (outside the pool's lock), e.g. to gossip it.</summary>
    public event Action<MempoolEntry>? Added;

    public int Count { get { lock (_lock) return _count; } }
    public long Bytes { get { lock (_lock) return _bytes; } }

    public bool Contains(byte[] hash) => _byHash.ContainsKey(hash);

    public MempoolEntry? Get(byte[] hash) => _byHash.GetValueOrDefault(hash);

    /// <summary>The next nonce the account should use, counting its pending transactions.</summary>
    public ulong NextNonce(Address account)
    {
        lock (_lock)
        {
            _byAccount.TryGetValue(account, out var list);
            return NextNonce(AccountState.ReadNonce(committedState, account), list);
        }
    }

    /// <summary>Admits a transaction whose sender is already recovered; throws TransactionRejectedException saying why not.</summary>
    public MempoolEntry Add(Transaction tx, Address sender)
    {
        var entry = AddLocked(tx, sender);
        Added?.Invoke(entry);
        return entry;
    }

    private MempoolEntry AddLocked(Transaction tx, Address sender)
    {
        executor.CheckStateless(tx);
        // Outside the pool's lock: they read committed state only (a place reads its market), and
        // every ingress thread and the block producer wait on that lock (docs/BENCHMARKS.md e2e-orders round 7).
        var senderPaysFee = CheckFeePayer(tx, sender);
        var txSpend = _spendOf.Of(tx, senderPaysFee).ToList(); // the handler (and the state it reads) is asked once per transaction
        foreach (var (asset, _) in txSpend)
        {
            // EXT always exists (genesis requires it); any other asset spent must exist already (assets are never removed).
            if (asset != AssetSymbol.Native && !AccountState.AssetExists(committedState, asset))
                throw new TransactionRejectedException(RejectReason.UnknownAsset, $"unknown asset {asset}");
        }
        lock (_lock)
        {
            if (_byHash.ContainsKey(tx.Hash)) throw new TransactionRejectedException(RejectReason.Duplicate, $"transaction {Hex.Encode(tx.Hash)} is already pending");
            var committedNonce = AccountState.ReadNonce(committedState, sender);
            if (tx.Nonce < committedNonce) throw new TransactionRejectedException(RejectReason.NonceTooLow, $"nonce too low: account {sender} is at nonce {committedNonce}, transaction has {tx.Nonce}");
            _byAccount.TryGetValue(sender, out var pending);
            var next = NextNonce(committedNonce, pending);
            if (tx.Nonce > next) throw new TransactionRejectedException(RejectReason.NonceTooHigh, $"nonce gap: the next nonce for {sender} is {next}, transaction has {tx.Nonce}");
            MempoolEntry? replaced = null;
            if (tx.Nonce < next)
            {
                if (pending is null || !pending.TryGetValue(tx.Nonce, out replaced))
                    throw new TransactionRejectedException(RejectReason.NonceTooHigh, $"nonce gap: no pending transaction of {sender} has nonce {tx.Nonce}");
                var required = replaced.Fee + replaced.Fee * (UInt128)options.ReplacementFeeBumpPercent / 100;
                if (tx.Fee <= replaced.Fee || tx.Fee < required)
                    throw new TransactionRejectedException(RejectReason.NonceTooLow, $"nonce {tx.Nonce} is already used by pending transaction {Hex.Encode(replaced.Transaction.Hash)}; a replacement needs a fee of at least {required}");
            }
            else if (pending is not null && pending.Count >= options.MaxPerAccount)
            {
                throw new TransactionRejectedException(RejectReason.MempoolFull, $"account {sender} already has {pending.Count} pending transactions (limit {options.MaxPerAccount})");
            }
            var market = MarketTraffic.Of(tx.Payload);
            if (market == MarketTrafficClass.Order && replaced?.Market != MarketTrafficClass.Order
                && _pendingOrdersByAccount.GetValueOrDefault(sender) >= options.MaxPendingOrdersPerAccount)
                throw new TransactionRejectedException(RejectReason.MempoolFull,
                    $"account {sender} already has {options.MaxPendingOrdersPerAccount} pending order transactions (the limit); cancels are still admitted");
            CheckAffordable(sender, committedNonce, pending, txSpend, replaced);
            if (replaced is null) MakeRoom(tx, sender, market);
            else Remove(replaced);
            var entry = new MempoolEntry(tx, sender, ++_sequence, senderPaysFee) { Spend = txSpend };
            Insert(entry);
            return entry;
        }
    }

    /// <summary>
    /// Up to maxCount transactions within maxBytes: each account's in nonce order; among account
    /// heads, market cancels first, then by fee, then arrival. An account whose next transaction
    /// is an order after MaxOrdersPerAccountPerBlock orders in this block waits for the next block.
    /// </summary>
    public IReadOnlyList<MempoolEntry> SelectForBlock(int maxCount, long maxBytes)
    {
        lock (_lock)
        {
            var heads = new PriorityQueue<(MempoolEntry Entry, int Position), MempoolEntry>(Comparer<MempoolEntry>.Create(CompareForBlock));
            foreach (var list in _byAccount.Values) heads.Enqueue((list.Values[0], 0), list.Values[0]);
            var selected = new List<MempoolEntry>();
            var ordersTaken = new Dictionary<Address, int>();
            long bytes = 0;
            while (selected.Count < maxCount && heads.TryDequeue(out var head, out _))
            {
                if (bytes + head.Entry.Size > maxBytes) continue; // this account's later nonces cannot follow either
                if (head.Entry.Market == MarketTrafficClass.Order)
                {
                    var taken = ordersTaken.GetValueOrDefault(head.Entry.Sender);
                    if (taken >= options.MaxOrdersPerAccountPerBlock) continue; // the rest of this account waits for the next block
                    ordersTaken[head.Entry.Sender] = taken + 1;
                }
                selected.Add(head.Entry);
                bytes += head.Entry.Size;
                var list = _byAccount[head.Entry.Sender];
                if (head.Position + 1 < list.Count) heads.Enqueue((list.Values[head.Position + 1], head.Position + 1), list.Values[head.Position + 1]);
            }
            return selected;
        }
    }

    /// <summary>After a committed block: its transactions leave, and their senders' remaining ones are re-checked.</summary>
    public void OnBlockCommitted(BlockExecution execution) =>
        OnBlockCommitted(execution.Included, execution.Receipts.Select(r => r.Sender).Distinct().ToList());

    /// <summary>After a block: drops included and stale transactions and re-checks the senders' remaining ones against the new state.</summary>
    public void OnBlockCommitted(IEnumerable<Transaction> included, IEnumerable<Address> touchedAccounts)
    {
        lock (_lock)
        {
            foreach (var tx in included)
            {
                if (_byHash.TryGetValue(tx.Hash, out var entry)) Remove(entry);
            }
            foreach (var account in touchedAccounts) Recheck(account);
        }
    }

    private void Recheck(Address account)
    {
        if (!_byAccount.TryGetValue(account, out var list)) return;
        var nonce = AccountState.ReadNonce(committedState, account);
        var spend = new SortedDictionary<string, UInt128>(StringComparer.Ordinal);
        var balances = new Dictionary<string, UInt128>(StringComparer.Ordinal); // read once per asset, not once per entry
        UInt128 Balance(string asset) => balances.TryGetValue(asset, out var b) ? b : balances[asset] = AccountState.ReadBalance(committedState, account, asset);
        foreach (var entry in list.Values.ToList())
        {
            var keep = entry.Nonce == nonce;
            if (keep)
            {
                SpendCalculator.Add(spend, entry.Spend);
                keep = spend.All(s => Balance(s.Key) >= s.Value);
            }
            if (keep) nonce++;
            else Remove(entry); // a stale nonce, a gap or an unaffordable one: later ones cannot run either
        }
    }

    /// <summary>
    /// The nonce after the account's last pending one. A block may have committed some of them a
    /// moment before they leave the pool, so the committed nonce can be ahead of the list's start.
    /// </summary>
    private static ulong NextNonce(ulong committedNonce, SortedList<ulong, MempoolEntry>? pending) =>
        pending is { Count: > 0 } ? Math.Max(committedNonce, pending.Keys[^1] + 1) : committedNonce;

    /// <summary>
    /// Whether the sender pays the fee. An agent action's fee is its account's while the agent is
    /// authorized in committed state (the expiry height is checked at inclusion, which knows the
    /// height); that account must hold the fee (this one alone: the account's own pending
    /// transactions are not added to it, and a shortfall fails at inclusion and is skipped).
    /// </summary>
    private bool CheckFeePayer(Transaction tx, Address sender)
    {
        if (executor.Modules.HandlerFor(tx.Kind) is not { } handler) return true;
        var payer = handler.FeePayer(committedState, tx.Payload, sender, 0);
        if (payer == sender) return true;
        var balance = AccountState.ReadBalance(committedState, payer, AssetSymbol.Native);
        if (balance < tx.Fee)
            throw new TransactionRejectedException(RejectReason.InsufficientFunds, $"insufficient EXT for the fee: {payer}, which pays for its agent {sender}, has {balance} base units, fee is {tx.Fee}");
        return false;
    }

    private void CheckAffordable(Address sender, ulong committedNonce, SortedList<ulong, MempoolEntry>? pending, IReadOnlyList<AssetAmount> txSpend, MempoolEntry? replaced)
    {
        // The nonce and the balances are separate reads of committed state, and a block can commit
        // between them: a balance read after it has already paid for the sender's transactions that
        // the nonce read before it still counts as pending, and a transaction that fits would be
        // refused (seen under load: a sender funded to the unit had orders refused right after a
        // block). So the nonce is read again after the balances, and the check is redone if it moved.
        for (var attempt = 1; ; attempt++)
        {
            var spend = PendingSpend(sender, committedNonce, pending, txSpend, replaced);
            var balances = spend.Keys.Select(asset => AccountState.ReadBalance(committedState, sender, asset)).ToList();
            var nonceAfter = AccountState.ReadNonce(committedState, sender);
            if (nonceAfter != committedNonce && attempt < 3)
            {
                committedNonce = nonceAfter;
                continue;
            }
            var i = 0;
            foreach (var (asset, needed) in spend)
            {
                var balance = balances[i++];
                if (balance < needed)
                    throw new TransactionRejectedException(RejectReason.InsufficientFunds, $"insufficient {asset} balance: {sender} has {balance} base units, pending transactions and this one need {needed}");
            }
            return;
        }
    }

    /// <summary>What the sender's pending transactions from <paramref name="committedNonce"/> on and this one spend, per asset.</summary>
    private SortedDictionary<string, UInt128> PendingSpend(Address sender, ulong committedNonce, SortedList<ulong, MempoolEntry>? pending,
        IReadOnlyList<AssetAmount> txSpend, MempoolEntry? replaced)
    {
        var spend = _spendByAccount.TryGetValue(sender, out var total)
            ? new SortedDictionary<string, UInt128>(total, StringComparer.Ordinal)
            : new SortedDictionary<string, UInt128>(StringComparer.Ordinal);
        if (replaced is not null) SpendCalculator.Subtract(spend, replaced.Spend);
        if (pending is not null)
        {
            // Entries a block already committed (they leave the pool a moment later) are paid for in the committed balance.
            foreach (var entry in pending.Values)
            {
                if (entry.Nonce >= committedNonce) break;
                if (entry != replaced) SpendCalculator.Subtract(spend, entry.Spend);
            }
        }
        SpendCalculator.Add(spend, txSpend);
        return spend;
    }

    /// <summary>
    /// Evicts cheaper transactions until the incoming one fits; never the incoming sender's own,
    /// which it follows. A market cancel that no cheaper transaction makes room for evicts the
    /// cheapest new order that ends its account's sequence, whatever it pays: cancels come first.
    /// </summary>
    private void MakeRoom(Transaction incoming, Address sender, MarketTrafficClass market)
    {
        while (_count >= options.MaxTransactions || _bytes + incoming.Encoded.Length > options.MaxBytes)
        {
            var victim = _byFee.Take(1_000).FirstOrDefault(e => e.Fee < incoming.Fee && e.Sender != sender && IsLastOfAccount(e));
            if (victim is null && market == MarketTrafficClass.Cancel)
                victim = _byFee.Take(10_000).FirstOrDefault(e => e.Market == MarketTrafficClass.Order && e.Sender != sender && IsLastOfAccount(e));
            if (victim is null) throw new TransactionRejectedException(RejectReason.MempoolFull, $"mempool is full ({_count} transactions, {_bytes} bytes) and the fee {incoming.Fee} does not beat the cheapest evictable one");
            Remove(victim);
        }
    }

    private bool IsLastOfAccount(MempoolEntry entry)
    {
        var list = _byAccount[entry.Sender];
        return list.Keys[^1] == entry.Nonce;
    }

    private void Insert(MempoolEntry entry)
    {
        _byHash[entry.Transaction.Hash] = entry;
        _count++;
        if (!_byAccount.TryGetValue(entry.Sender, out var list)) _byAccount[entry.Sender] = list = new SortedList<ulong, MempoolEntry>();
        list.Add(entry.Nonce, entry);
        if (!_spendByAccount.TryGetValue(entry.Sender, out var spend)) _spendByAccount[entry.Sender] = spend = new SortedDictionary<string, UInt128>(StringComparer.Ordinal);
        SpendCalculator.Add(spend, entry.Spend);
        if (entry.Market == MarketTrafficClass.Order) _pendingOrdersByAccount[entry.Sender] = _pendingOrdersByAccount.GetValueOrDefault(entry.Sender) + 1;
        _byFee.Add(entry);
        _bytes += entry.Size;
    }

    private void Remove(MempoolEntry entry)
    {
        if (_byHash.TryRemove(entry.Transaction.Hash, out _)) _count--;
        var list = _byAccount[entry.Sender];
        list.Remove(entry.Nonce);
        SpendCalculator.Subtract(_spendByAccount[entry.Sender], entry.Spend);
        if (entry.Market == MarketTrafficClass.Order)
        {
            var left = _pendingOrdersByAccount[entry.Sender] - 1;
            if (left == 0) _pendingOrdersByAccount.Remove(entry.Sender);
            else _pendingOrdersByAccount[entry.Sender] = left;
        }
        if (list.Count == 0)
        {
            _byAccount.Remove(entry.Sender);
            _spendByAccount.Remove(entry.Sender);
        }
        _byFee.Remove(entry);
        _bytes -= entry.Size;
    }

    private static int CompareForEviction(MempoolEntry? a, MempoolEntry? b)
    {
        var c = a!.Fee.CompareTo(b!.Fee);
        return c != 0 ? c : b.Sequence.CompareTo(a.Sequence); // cheapest first, newest first among equals
    }

    private static int CompareForBlock(MempoolEntry? a, MempoolEntry? b)
    {
        var cancelFirst = (b!.Market == MarketTrafficClass.Cancel).CompareTo(a!.Market == MarketTrafficClass.Cancel);
        if (cancelFirst != 0) return cancelFirst; // a market cancel never waits behind other accounts' transactions
        var c = b.Fee.CompareTo(a.Fee);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence); // highest fee first, oldest first among equals
    }
}
