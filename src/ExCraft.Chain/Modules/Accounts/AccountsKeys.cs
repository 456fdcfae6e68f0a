using ExCraft.Core;

namespace ExCraft.Chain.Modules.Accounts;

/// <summary>
/// State keys of the accounts module: prefix 0x01, then a tag per record kind, so each kind is
/// contiguous for prefix scans (for example all balances of one account).
/// </summary>
public static class AccountsKeys
{
    public static readonly byte[] Prefix = [0x01];

    private const byte NonceTag = (byte)'n';
    private const byte RegisteredTag = (byte)'r';
    private const byte BalanceTag = (byte)'b';
    private const byte AssetTag = (byte)'a';
    private const byte BurnedTag = (byte)'x';

    public static byte[] Nonce(Address account) => StateKey.Of(Prefix, NonceTag).Address(account).Build();

    public static byte[] Registered(Address account) => StateKey.Of(Prefix, RegisteredTag).Address(account).Build();

    /// <summary>All balances of an account share this prefix.</summary>
    public static byte[] BalancePrefixOf(Address account) => StateKey.Of(Prefix, BalanceTag).Address(account).Build();

    public static byte[] Balance(Address account, string asset) => StateKey.Of(Prefix, BalanceTag).Address(account).String(asset).Build();

    public static string AssetOfBalanceKey(byte[] key)
    {
        var reader = new StateKeyReader(key, Prefix.Length);
        reader.Address();
        return reader.String();
    }

    public static readonly byte[] AllAssets = StateKey.Of(Prefix, AssetTag).Build();

    public static byte[] Asset(string symbol) => StateKey.Of(Prefix, AssetTag).String(symbol).Build();

    public static string SymbolOfAssetKey(byte[] key) => new StateKeyReader(key, Prefix.Length).String();

    /// <summary>The running total of an asset destroyed by any module (slashing, the fee burn).</summary>
    public static byte[] Burned(string symbol) => StateKey.Of(Prefix, BurnedTag).String(symbol).Build();
}
