using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// The amounts one exchange hook moves: free balances, each account's locked funds, the total
/// locked per asset and the fee pools. Each is read from state once, kept here while the hook's
/// operations lock, fill and release it, and written back by <see cref="Flush"/>. A block of
/// orders on one market moves the same few amounts thousands of times (every fill touches the
/// buyer's and seller's locks, both totals, both balances and two fee pools), and reading and
/// re-encoding each one at every step was most of the settlement's cost (docs/BENCHMARKS.md,
/// e2e-orders round 6).
/// <para>
/// Consensus: every amount that was written during the hook is written back, even one that ends
/// where it started, and a zero is a delete, so the hook leaves exactly the writes that writing
/// through at each step left (and the app hash over them is the same). Nothing reads these keys
/// from state between the first operation and <see cref="Flush"/>: the exchange flushes in
/// <see cref="MarketExchange.Save"/>, before its caller reads any balance.
/// </para>
/// </summary>
internal sealed class SettlementLedger(StateOverlay state)
{
    private enum Kind : byte { Balance, Locked, TotalLocked, FeePool }

    private readonly record struct Key(Kind Kind, Address Account, string Asset);

    private sealed class Entry(UInt128 value)
    {
        public UInt128 Value = value;
        public bool Written;
    }

    private readonly Dictionary<Key, Entry> _entries = [];

    /// <summary>The account's free balance of the asset as the hook has moved it so far.</summary>
    public UInt128 Balance(Address account, string asset) => Get(Kind.Balance, account, asset).Value;

    /// <summary>Moves an amount from the free balance into the account's lock; throws InsufficientFundsException, changing nothing, when short.</summary>
    public void Lock(Address account, string asset, UInt128 amount)
    {
        if (amount == 0) return;
        var balance = Get(Kind.Balance, account, asset);
        if (balance.Value < amount) throw new InsufficientFundsException(account, asset, balance.Value, amount);
        Write(balance, balance.Value - amount);
        AddLocked(account, asset, amount, add: true);
    }

    /// <summary>Moves an amount of the account's lock back to its free balance.</summary>
    public void Unlock(Address account, string asset, UInt128 amount)
    {
        if (amount == 0) return;
        AddLocked(account, asset, amount, add: false);
        Credit(account, asset, amount);
    }

    /// <summary>Takes an amount out of the account's lock without crediting anyone (a fill pays it to the counterparty and the fee pool).</summary>
    public void SpendLocked(Address account, string asset, UInt128 amount) => AddLocked(account, asset, amount, add: false);

    public void Credit(Address account, string asset, UInt128 amount)
    {
        if (amount == 0) return;
        var balance = Get(Kind.Balance, account, asset);
        Write(balance, Amount.Add(balance.Value, amount));
    }

    public void AddFee(string asset, UInt128 amount)
    {
        if (amount == 0) return;
        var pool = Get(Kind.FeePool, Address.Zero, asset);
        Write(pool, Amount.Add(pool.Value, amount));
    }

    /// <summary>Writes every amount the hook wrote back to state (a zero deletes its key), then forgets them all.</summary>
    public void Flush()
    {
        foreach (var (key, entry) in _entries)
            if (entry.Written) StateAmounts.WriteOrDelete(state, StateKeyOf(key), entry.Value);
        _entries.Clear();
    }

    private void AddLocked(Address account, string asset, UInt128 amount, bool add)
    {
        var locked = Get(Kind.Locked, account, asset);
        Write(locked, add ? Amount.Add(locked.Value, amount) : Amount.Subtract(locked.Value, amount));
        var total = Get(Kind.TotalLocked, Address.Zero, asset);
        Write(total, add ? Amount.Add(total.Value, amount) : Amount.Subtract(total.Value, amount));
    }

    private static void Write(Entry entry, UInt128 value)
    {
        entry.Value = value;
        entry.Written = true;
    }

    private Entry Get(Kind kind, Address account, string asset)
    {
        var key = new Key(kind, account, asset);
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry(StateAmounts.Read(state, StateKeyOf(key)));
            _entries.Add(key, entry);
        }
        return entry;
    }

    private static byte[] StateKeyOf(Key key) => key.Kind switch
    {
        Kind.Balance => AccountsKeys.Balance(key.Account, key.Asset),
        Kind.Locked => MarketsKeys.Locked(key.Account, key.Asset),
        Kind.TotalLocked => MarketsKeys.TotalLocked(key.Asset),
        _ => MarketsKeys.FeePool(key.Asset),
    };
}
