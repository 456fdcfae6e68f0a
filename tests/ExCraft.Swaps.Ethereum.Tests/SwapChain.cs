using System.Numerics;
using System.Text;
using ExCraft.Swaps.Ethereum;
using Nethereum.Signer;
using Nethereum.Util;

namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>
/// One anvil per test class with the HTLC and the three test tokens deployed, and three funded
/// accounts: Alice locks, Bob claims, Carol submits transactions for others (a relayer) and
/// deploys. Keys are fixed (keccak of a label), so runs are repeatable.
/// </summary>
public sealed class SwapChain : IAsyncLifetime
{
    public static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    public static readonly BigInteger TokenUnit = BigInteger.Pow(10, 18);

    public AnvilNode Node { get; private set; } = null!;
    public NonceManagers Nonces { get; } = new();
    public TransactionSender Alice { get; private set; } = null!;
    public TransactionSender Bob { get; private set; } = null!;
    public TransactionSender Carol { get; private set; } = null!;
    public HtlcClient Htlc { get; private set; } = null!;
    public Dictionary<string, string> Tokens { get; } = [];

    public async Task InitializeAsync()
    {
        Node = AnvilNode.Start();
        Alice = await SenderAsync("alice");
        Bob = await SenderAsync("bob");
        Carol = await SenderAsync("carol");
        Htlc = await HtlcClient.DeployAsync(Carol);
        foreach (var name in new[] { TestToken.Standard, TestToken.NoReturn, TestToken.FeeOnTransfer })
        {
            Tokens[name] = await TestToken.DeployAsync(Carol, name);
            await TestToken.MintAsync(Carol, Tokens[name], Alice.Address, 1_000_000 * TokenUnit);
        }
    }

    public Task DisposeAsync()
    {
        Node?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A sender for a fixed key funded with 1,000 ETH.</summary>
    public async Task<TransactionSender> SenderAsync(string label)
    {
        var key = KeyFor(label);
        await Node.SetBalanceAsync(key.GetPublicAddress(), 1000 * Ether);
        return await TransactionSender.CreateAsync(Node.Web3, key, Nonces, HtlcClient.Errors);
    }

    public static EthECKey KeyFor(string label) =>
        new(Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes("excraft-test-" + label)), true);

    public Erc20Client Token(string name) => new(Node.Web3, Tokens[name]);

    /// <summary>A fresh secret per call: a counter hashed, so every test gets distinct swaps.</summary>
    public byte[] NewSecret() =>
        Sha3Keccack.Current.CalculateHash(BitConverter.GetBytes(Interlocked.Increment(ref secretCounter)));

    /// <summary>Terms of an Alice-to-Bob swap that times out an hour after the latest block.</summary>
    public async Task<SwapTerms> TermsAsync(byte[] secret, BigInteger amount, string token, int timeoutSeconds = 3600) =>
        new(SwapTerms.HashOf(secret), amount, token, Bob.Address, Alice.Address,
            await Node.LatestTimestampAsync() + timeoutSeconds);

    private long secretCounter;
}
