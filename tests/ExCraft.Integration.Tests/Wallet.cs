using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Integration.Tests;

/// <summary>Builds signed transactions for the dev chain the way a wallet would.</summary>
public static class Wallet
{
    public const ulong DevChainId = 9545;
    public static readonly UInt128 Fee = Amount.Parse("0.00001");

    public static PrivateKey Dev(int i) => DevKeys.Account(i);

    public static string Transfer(int from, Address to, UInt128 amount, ulong nonce, string asset = "EXT", UInt128? fee = null, ulong chainId = DevChainId) =>
        Hex.Encode(Transaction.Create(chainId, nonce, fee ?? Fee, new TransferPayload(to, asset, amount), Dev(from)).Encoded);

    public static string Sign(int from, TxPayload payload, ulong nonce, ulong chainId = DevChainId) =>
        Hex.Encode(Transaction.Create(chainId, nonce, Fee, payload, Dev(from)).Encoded);
}
