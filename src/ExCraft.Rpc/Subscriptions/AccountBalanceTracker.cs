using ExCraft.Chain.Modules.Accounts;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Rpc.MarketData;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>One asset of an account: its free balance and the amount its open orders hold.</summary>
public sealed record AssetBalance(string Asset, UInt128 Balance, UInt128 Locked);

/// <summary>
/// Follows one account's balances for a balances stream (WebSocket market_subscribe "balances" and
/// gRPC MarketsService.StreamBalances): the first call gives every asset, each later one only the
/// assets whose free or locked amount changed since the last message (an asset that went away
/// reads 0/0). Called on the market-data index's update, under its lock, one caller at a time.
/// </summary>
public sealed class AccountBalanceTracker(Address account)
{
    private readonly Dictionary<string, (UInt128 Balance, UInt128 Locked)> _last = new(StringComparer.Ordinal);

    public Address Account => account;

    /// <summary>Every asset now, by symbol; what later changes are measured from.</summary>
    public IReadOnlyList<AssetBalance> Snapshot(IStateReader state) => Take(state, snapshot: true);

    /// <summary>The assets that changed since the last message, by symbol; empty when none did.</summary>
    public IReadOnlyList<AssetBalance> Changes(IStateReader state) => Take(state, snapshot: false);

    private List<AssetBalance> Take(IStateReader state, bool snapshot)
    {
        var now = new SortedDictionary<string, (UInt128 Balance, UInt128 Locked)>(StringComparer.Ordinal);
        foreach (var b in new AccountsQueries(state).Balances(account)) now[b.Asset] = (b.Balance, 0);
        foreach (var (asset, locked) in MarketsModule.Queries(state).LockedOf(account)) now[asset] = (now.GetValueOrDefault(asset).Balance, locked);
        foreach (var asset in _last.Keys.Where(a => !now.ContainsKey(a)).ToList()) now[asset] = (0, 0);
        var changed = now.Where(kv => snapshot || _last.GetValueOrDefault(kv.Key) != kv.Value).ToList();
        foreach (var (asset, value) in changed) _last[asset] = value;
        return changed.Select(kv => new AssetBalance(kv.Key, kv.Value.Balance, kv.Value.Locked)).ToList();
    }

    /// <summary>Accounts a block may have changed balances of: senders, accounts its receipts and block events name.</summary>
    public static HashSet<Address> TouchedAccounts(MarketDataUpdate update)
    {
        var result = new HashSet<Address>();
        foreach (var receipt in update.Receipts) result.UnionWith(receipt.AccountsTouched());
        foreach (var e in update.BlockEvents) e.AddNamedAccounts(result);
        return result;
    }
}
