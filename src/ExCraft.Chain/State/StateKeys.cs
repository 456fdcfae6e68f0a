using System.Text;
using ExCraft.Core;

namespace ExCraft.Chain.State;

/// <summary>
/// Keys of the account and asset state. One prefix byte per kind of record keeps each kind
/// contiguous for prefix scans (for example all balances of one account).
/// </summary>
public static class StateKeys
{
    private const byte NoncePrefix = (byte)'n';
    private const byte RegisteredPrefix = (byte)'r';
    private const byte BalancePrefix = (byte)'b';
    private const byte AssetPrefix = (byte)'a';

    public static byte[] Nonce(Address account) => WithAddress(NoncePrefix, account, 0);

    public static byte[] Registered(Address account) => WithAddress(RegisteredPrefix, account, 0);

    /// <summary>All balances of an account share this prefix.</summary>
    public static byte[] BalancePrefixOf(Address account) => WithAddress(BalancePrefix, account, 0);

    public static byte[] Balance(Address account, string asset)
    {
        var symbol = Encoding.ASCII.GetBytes(asset);
        var key = WithAddress(BalancePrefix, account, symbol.Length);
        symbol.CopyTo(key, 1 + Address.Length);
        return key;
    }

    public static string AssetOfBalanceKey(byte[] key) => Encoding.ASCII.GetString(key, 1 + Address.Length, key.Length - 1 - Address.Length);

    public static readonly byte[] AllAssets = [AssetPrefix];

    public static byte[] Asset(string symbol)
    {
        var bytes = Encoding.ASCII.GetBytes(symbol);
        var key = new byte[1 + bytes.Length];
        key[0] = AssetPrefix;
        bytes.CopyTo(key, 1);
        return key;
    }

    public static string AssetOfAssetKey(byte[] key) => Encoding.ASCII.GetString(key, 1, key.Length - 1);

    private static byte[] WithAddress(byte prefix, Address account, int extra)
    {
        var key = new byte[1 + Address.Length + extra];
        key[0] = prefix;
        account.WriteTo(key.AsSpan(1));
        return key;
    }
}
