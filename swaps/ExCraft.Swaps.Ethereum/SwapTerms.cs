using System.Numerics;
using Nethereum.ABI;
using Nethereum.Hex.HexConvertors.Extensions;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// The six parameters of one swap in the ExCraftHtlc contract. The contract stores only
/// keccak256(abi.encode(...)) of them, so whoever claims or refunds must present them again.
/// </summary>
/// <param name="HashLock">sha256 of the 32-byte secret.</param>
/// <param name="Amount">Wei for ETH, token units for ERC20 (the amount actually received).</param>
/// <param name="Token">The ERC20 contract, or <see cref="Eth"/> (the zero address) for ETH.</param>
/// <param name="Timeout">A block timestamp in unix seconds: claim before it, refund from it on.</param>
public sealed record SwapTerms(
    byte[] HashLock,
    BigInteger Amount,
    string Token,
    string ClaimAddress,
    string RefundAddress,
    BigInteger Timeout)
{
    /// <summary>The token address that stands for ETH.</summary>
    public const string Eth = "0x0000000000000000000000000000000000000000";

    public bool IsEth => Token.RemoveHexPrefix().All(c => c == '0');

    /// <summary>The id the contract stores the swap under; equal to its swapIdOf view.</summary>
    public byte[] SwapId()
    {
        Validate();
        return new ABIEncode().GetSha3ABIEncoded(
            new ABIValue("bytes32", HashLock),
            new ABIValue("uint256", Amount),
            new ABIValue("address", Token),
            new ABIValue("address", ClaimAddress),
            new ABIValue("address", RefundAddress),
            new ABIValue("uint256", Timeout));
    }

    /// <summary>Rejects terms the contract could never hold, before anything is sent.</summary>
    public void Validate()
    {
        if (HashLock is not { Length: 32 })
            throw new ArgumentException("the hash lock must be 32 bytes (sha256 of the secret)");
        if (Amount <= 0) throw new ArgumentException("the amount must be positive");
        if (Timeout <= 0) throw new ArgumentException("the timeout must be a positive unix time");
        foreach (var (name, address) in new[] { ("token", Token), ("claim address", ClaimAddress), ("refund address", RefundAddress) })
        {
            if (!Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(address))
                throw new ArgumentException($"the {name} is not a 20-byte hex address: {address}");
        }
    }

    /// <summary>sha256 of a secret, the hash lock on every chain of a swap (SPEC section 9).</summary>
    public static byte[] HashOf(byte[] secret)
    {
        if (secret.Length != 32) throw new ArgumentException("a swap secret is exactly 32 bytes");
        return System.Security.Cryptography.SHA256.HashData(secret);
    }
}
