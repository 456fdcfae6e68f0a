using System.Buffers.Binary;
using ExCraft.Core;

namespace ExCraft.Chain.State;

/// <summary>Typed access to accounts and assets over an overlay. Zero balances are deleted, not stored.</summary>
public sealed class AccountState(StateOverlay state)
{
    public StateOverlay Overlay => state;

    public ulong GetNonce(Address account) => ReadNonce(state, account);

    public static ulong ReadNonce(IStateReader reader, Address account)
    {
        var value = reader.Get(StateKeys.Nonce(account));
        return value is null ? 0 : BinaryPrimitives.ReadUInt64BigEndian(value);
    }

    public void SetNonce(Address account, ulong nonce)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, nonce);
        state.Set(StateKeys.Nonce(account), value);
    }

    public UInt128 GetBalance(Address account, string asset) => ReadBalance(state, account, asset);

    public static UInt128 ReadBalance(IStateReader reader, Address account, string asset)
    {
        var value = reader.Get(StateKeys.Balance(account, asset));
        return value is null ? UInt128.Zero : BinaryPrimitives.ReadUInt128BigEndian(value);
    }

    /// <summary>Every non-zero balance of an account, in asset symbol order.</summary>
    public static IEnumerable<(string Asset, UInt128 Balance)> ReadBalances(IStateReader reader, Address account) =>
        reader.IteratePrefix(StateKeys.BalancePrefixOf(account)).Select(kv => (StateKeys.AssetOfBalanceKey(kv.Key), BinaryPrimitives.ReadUInt128BigEndian(kv.Value)));

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
        var key = StateKeys.Balance(account, asset);
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

    public static bool ReadRegistered(IStateReader reader, Address account) => reader.Get(StateKeys.Registered(account)) is not null;

    public void SetRegistered(Address account) => state.Set(StateKeys.Registered(account), [1]);

    public AssetInfo? GetAsset(string symbol) => ReadAsset(state, symbol);

    public static AssetInfo? ReadAsset(IStateReader reader, string symbol)
    {
        var value = reader.Get(StateKeys.Asset(symbol));
        return value is null ? null : AssetInfo.Decode(symbol, value);
    }

    /// <summary>Every asset, in symbol order.</summary>
    public static IEnumerable<AssetInfo> ReadAssets(IStateReader reader) =>
        reader.IteratePrefix(StateKeys.AllAssets).Select(kv => AssetInfo.Decode(StateKeys.AssetOfAssetKey(kv.Key), kv.Value));

    public void PutAsset(AssetInfo asset) => state.Set(StateKeys.Asset(asset.Symbol), asset.Encode());
}

public sealed class InsufficientFundsException(Address account, string asset, UInt128 balance, UInt128 needed)
    : Exception($"insufficient {asset} balance: {account} has {balance} base units, needs {needed}")
{
    public Address Account { get; } = account;
}
