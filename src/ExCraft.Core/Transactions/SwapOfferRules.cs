using System.Text.RegularExpressions;
using ExCraft.Core.Crypto;

namespace ExCraft.Core.Transactions;

/// <summary>Which side of a swap offer its maker gives: the native (ExCraft) asset, or the asset on the outside chain.</summary>
public enum SwapOfferSide : byte
{
    /// <summary>The maker gives the native asset (escrowed at post) and wants the outside asset; the maker is the initiator.</summary>
    MakerGivesNative = 0,

    /// <summary>The maker gives the outside asset and wants the native asset (the taker's, escrowed at take); the taker is the initiator.</summary>
    MakerGivesOutside = 1,
}

/// <summary>
/// The formats and limits of swap offers (docs/swap-offers.md), shared by the handlers, the CLI and
/// the swap engine: outside chains and assets, outside keys, lifetimes, the id rule.
/// </summary>
public static partial class SwapOfferRules
{
    public const string Bitcoin = "bitcoin";
    public const string Ethereum = "ethereum";
    public const string Btc = "BTC";
    public const string Eth = "ETH";

    /// <summary>The outside chains an offer may name, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<string> Chains = [Bitcoin, Ethereum];

    /// <summary>An offer id, like an HTLC id, is a keccak256 hash.</summary>
    public const int IdLength = 32;

    /// <summary>21 million BTC in satoshi: no Bitcoin amount can be larger.</summary>
    public static readonly UInt128 MaxBitcoinAmount = 2_100_000_000_000_000;

    /// <summary>The native HTLC may run at most this many blocks (about 58 days at 5 s).</summary>
    public const ulong MaxLockBlocks = 1_000_000;

    /// <summary>The outside lock may run at most a year.</summary>
    public const ulong MaxOutsideLockSeconds = 365UL * 24 * 3600;

    /// <summary>
    /// An offer's id: keccak256(maker (20 bytes) ‖ nonce of the post transaction (8 bytes big-endian)),
    /// the HTLC id rule (<see cref="HtlcRules.IdOf"/>). The native HTLC made when the offer is taken
    /// carries this same id; no htlc_lock can ever have it, because the post transaction used that
    /// (maker, nonce) and a lock id is made of its own transaction's (sender, nonce).
    /// </summary>
    public static byte[] IdOf(Address maker, ulong postNonce) => HtlcRules.IdOf(maker, postNonce);

    /// <summary>Null when the chain and asset go together: bitcoin BTC; ethereum ETH or an ERC20 contract as lowercase 0x-hex (not the zero address).</summary>
    public static string? CheckOutsideAsset(string chain, string asset) => chain switch
    {
        Bitcoin => asset == Btc ? null : $"the outside asset on bitcoin must be {Btc}, got \"{Shown(asset)}\"",
        Ethereum when asset == Eth => null,
        Ethereum when !Erc20Pattern().IsMatch(asset) => $"the outside asset on ethereum must be {Eth} or an ERC20 contract address as 0x and 40 lowercase hex digits, got \"{Shown(asset)}\"",
        Ethereum when asset == "0x" + new string('0', 40) => "the ERC20 contract address must not be the zero address",
        Ethereum => null,
        _ => $"unknown outside chain \"{Shown(chain)}\"; use {string.Join(" or ", Chains)}",
    };

    /// <summary>
    /// Null when the key fits the chain: on bitcoin a 33-byte compressed secp256k1 public key on the
    /// curve (the HTLC script's claim or refund key); on ethereum a 20-byte address, not zero.
    /// </summary>
    public static string? CheckOutsideKey(string chain, byte[] key, string whose)
    {
        switch (chain)
        {
            case Bitcoin:
                if (key.Length != PublicKey.CompressedLength || (key[0] != 0x02 && key[0] != 0x03))
                    return $"{whose} bitcoin key must be a 33-byte compressed public key (02 or 03, then 32 bytes), got {key.Length} bytes";
                return PublicKey.TryParse(key, out _, out var error) ? null : $"{whose} bitcoin key is not a point on secp256k1: {error}";
            case Ethereum:
                if (key.Length != Address.Length) return $"{whose} ethereum address must be 20 bytes, got {key.Length}";
                return key.All(b => b == 0) ? $"{whose} ethereum address must not be the zero address" : null;
            default:
                return $"unknown outside chain \"{Shown(chain)}\"; use {string.Join(" or ", Chains)}";
        }
    }

    /// <summary>Null when the outside amount is above zero and, on bitcoin, at most 21 million BTC.</summary>
    public static string? CheckOutsideAmount(string chain, UInt128 amount)
    {
        if (amount == 0) return "the outside amount must be greater than zero";
        return chain == Bitcoin && amount > MaxBitcoinAmount ? $"the outside amount {amount} satoshi is more than 21 million BTC" : null;
    }

    private static string Shown(string text) => text.Length <= 64 ? text : text[..64] + "...";

    [GeneratedRegex("^0x[0-9a-f]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex Erc20Pattern();
}
