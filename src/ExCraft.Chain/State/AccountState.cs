using System.Buffers.Binary;
using ExCraft.Chain.Modules.Accounts;
using ExCraft.Core;

namespace ExCraft.Chain.State;

/// <summary>Typed access to accounts and assets over an overlay. Zero balances are deleted, not stored.</summary>
public sealed class AccountState(StateOverlay state)
{
    public StateOverlay Overlay => state;

    public ulong GetNonce(Address account) => ReadNonce(state, account);

    public static ulong ReadNonce(IStateReader reader, Address account)
    {
        var value = reader.Get(AccountsKeys.Nonce(account));
        return value is null ? 0 : BinaryPrimitives.ReadUInt64BigEndian(value);
    }

    public void SetNonce(Address account, ulong nonce)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, nonce);
        state.Set(AccountsKeys.Nonce(account), value);
    }

    public UInt128 GetBalance(Address account, string asset) => ReadBalance(state, account, asset);

    public static UInt128 ReadBalance(IStateReader reader, Address account, string asset)
    {
        var value = reader.Get(AccountsKeys.Balance(account, asset));
        return value is null ? UInt128.Zero : BinaryPrimitives.ReadUInt128BigEndian(value);
    }

    /// <summary>Every non-zero balance of an account, in asset symbol order (ordinal).</summary>
    public static IEnumerable<(string Asset, UInt128 Balance)> ReadBalances(IStateReader reader, Address account) =>
        reader.IteratePrefix(AccountsKeys.BalancePrefixOf(account)).Select(kv => (AccountsKeys.AssetOfBalanceKey(kv.Key), BinaryPrimitives.ReadUInt128BigEndian(kv.Value)))
            .OrderBy(b => b.Item1, StringComparer.Ordinal); // keys order by symbol length first

    public void Credit(Address account, string asset, UInt128 amount)
    {
        if (amount == 0) return;
        SetBalance(account, asset, Amount.Add(GetBalance(account, asset), amount));
    }

    /// <summary>Takes an amount; throws InsufficientFundsException, leaving state as it was, when the balance is short.</summary>
    public void Debit(Address account, string asset, UInt128 amount)
    {
        if (amount == 0) return;
        var balance = GetBalance(account, asset);
        if (balance < amount) throw new InsufficientFundsException(account, asset, balance, amount);
        SetBalance(account, asset, balance - amount);
    }

    private void SetBalance(Address account, string asset, UInt128 balance)
    {
        var key = AccountsKeys.Balance(account, asset);
        if (balance == 0)
        {
            state.Delete(key);
            return;
        }
        var value = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(value, balance);
        state.Set(key, value);
    }

    public bool IsRegistered(Address account) => ReadRegistered(state, account);

    public static bool ReadRegistered(IStateReader reader, Address account) => reader.Get(AccountsKeys.Registered(account)) is not null;

    public void SetRegistered(Address account) => state.Set(AccountsKeys.Registered(account), [1]);

    public AssetInfo? GetAsset(string symbol) => ReadAsset(state, symbol);

    public static AssetInfo? ReadAsset(IStateReader reader, string symbol)
    {
        var value = reader.Get(AccountsKeys.Asset(symbol));
        return value is null ? null : AssetInfo.Decode(symbol, value);
    }

    /// <summary>Whether the asset is registered (its record is not decoded).</summary>
    public static bool AssetExists(IStateReader reader, string symbol) => reader.Get(AccountsKeys.Asset(symbol)) is not null;

    /// <summary>Every asset, in symbol order (ordinal).</summary>
    public static IEnumerable<AssetInfo> ReadAssets(IStateReader reader) =>
        reader.IteratePrefix(AccountsKeys.AllAssets).Select(kv => AssetInfo.Decode(AccountsKeys.SymbolOfAssetKey(kv.Key), kv.Value))
            .OrderBy(a => a.Symbol, StringComparer.Ordinal); // keys order by symbol length first

    public void PutAsset(AssetInfo asset) => state.Set(AccountsKeys.Asset(asset.Symbol), asset.Encode());

    /// <summary>
    /// Destroys an amount of an asset: out of the holder's balance (none when the caller already
    /// took it, e.g. slashed stake), out of the asset's supply, and into the asset's burned total.
    /// Every module burns through here, so the supply invariant reads one burned figure.
    /// </summary>
    public void Burn(string asset, UInt128 amount, Address? holder = null)
    {
        if (amount == 0) return;
        if (holder is { } from) Debit(from, asset, amount);
        var info = GetAsset(asset) ?? throw new InvalidOperationException($"cannot burn unknown asset {asset}");
        PutAsset(info with { Supply = Amount.Subtract(info.Supply, amount) });
        var value = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(value, Amount.Add(ReadBurned(state, asset), amount));
        state.Set(AccountsKeys.Burned(asset), value);
    }

    /// <summary>Creates an amount of an asset: into the recipient's balance (none when the caller credited it, e.g. genesis stake) and into the asset's supply.</summary>
    public void Mint(string asset, UInt128 amount, Address? to = null)
    {
        if (amount == 0) return;
        if (to is { } recipient) Credit(recipient, asset, amount);
        var info = GetAsset(asset) ?? throw new InvalidOperationException($"cannot mint unknown asset {asset}");
        PutAsset(info with { Supply = Amount.Add(info.Supply, amount) });
    }

    /// <summary>How much of an asset has been burned since genesis.</summary>
    public static UInt128 ReadBurned(IStateReader reader, string asset) =>
        reader.Get(AccountsKeys.Burned(asset)) is { } value ? BinaryPrimitives.ReadUInt128BigEndian(value) : 0;
}

public sealed class InsufficientFundsException(Address account, string asset, UInt128 balance, UInt128 needed)
    : Exception($"insufficient {asset} balance: {account} has {balance} base units, needs {needed}")
{
    public Address Account { get; } = account;
}
