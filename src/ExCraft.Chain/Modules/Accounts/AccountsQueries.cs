using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Accounts;

/// <summary>An account's balance of one asset, in base units, with the asset's decimals for display.</summary>
public sealed record AccountBalance(Address Account, string Asset, UInt128 Balance, byte Decimals);

/// <summary>
/// The accounts module's read API over any state reader (committed state, a snapshot, an
/// overlay). JSON-RPC and gRPC map these records to their wire shapes; key layouts stay inside
/// the module.
/// </summary>
public sealed class AccountsQueries(IStateReader state)
{
    /// <summary>The balance of one asset; null when the asset does not exist.</summary>
    public AccountBalance? Balance(Address account, string asset) =>
        Asset(asset) is { } info ? new AccountBalance(account, asset, AccountState.ReadBalance(state, account, asset), info.Decimals) : null;

    /// <summary>Every non-zero balance of the account, in asset symbol order (byte order of the symbols).</summary>
    public IReadOnlyList<AccountBalance> Balances(Address account) =>
        AccountState.ReadBalances(state, account)
            .Select(b => new AccountBalance(account, b.Asset, b.Balance, AccountState.ReadAsset(state, b.Asset)?.Decimals ?? 0))
            .ToList();

    /// <summary>The committed nonce: the number of transactions the account has had included.</summary>
    public ulong Nonce(Address account) => AccountState.ReadNonce(state, account);

    /// <summary>Whether the account opted in to PoE publication and rewards (register transaction or genesis).</summary>
    public bool Registered(Address account) => AccountState.ReadRegistered(state, account);

    /// <summary>The asset; null when it does not exist. A text that is no valid symbol names no asset (and builds no key).</summary>
    public AssetInfo? Asset(string symbol) => AssetSymbol.IsValid(symbol, out _) ? AccountState.ReadAsset(state, symbol) : null;

    /// <summary>Every asset, in symbol order (byte order).</summary>
    public IReadOnlyList<AssetInfo> Assets() => AccountState.ReadAssets(state).ToList();
}
