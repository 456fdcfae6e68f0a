using System.Numerics;
using System.Text;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Engine.Legs;
using ExCraft.Swaps.Ethereum;
using ExCraft.Swaps.Ethereum.Tests;
using Nethereum.Signer;
using Nethereum.Util;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// A real ExCraft dev node (100 ms blocks) and a real anvil (a block every second, so its clock
/// follows the wall clock the way a live chain's does) with the HTLC contract and a standard
/// ERC20 token deployed. Every test makes fresh parties, so balances start clean and no lock of
/// an earlier test is ever a candidate.
/// </summary>
public sealed class SwapWorld : IAsyncLifetime
{
    public static readonly TimeSpan ExtBlockInterval = TimeSpan.FromMilliseconds(100);
    public static readonly UInt128 Fee = Wallet.Fee;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim funding = new(1, 1);
    private readonly List<string> storeDirectories = [];
    private int counter;

    public NodeProcess Ext { get; } = new();
    public AnvilNode Anvil { get; private set; } = null!;
    public NonceManagers Nonces { get; } = new();
    public HtlcClient Htlc { get; private set; } = null!;
    public string Token { get; private set; } = "";
    private TransactionSender deployer = null!;

    public async Task InitializeAsync()
    {
        await Ext.StartAsync();
        Anvil = AnvilNode.Start();
        deployer = await EthSenderAsync(SwapChain.KeyFor("engine-deployer"));
        Htlc = await HtlcClient.DeployAsync(deployer);
        Token = await TestToken.DeployAsync(deployer, TestToken.Standard);
        await Anvil.Web3.Client.SendRequestAsync("evm_setIntervalMining", null, 1);
    }

    public Task DisposeAsync()
    {
        Ext.Dispose();
        Anvil?.Dispose();
        http.Dispose();
        foreach (var dir in storeDirectories)
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return Task.CompletedTask;
    }

    /// <summary>A party with funded keys on both chains (100 EXT, 100 ETH, 1,000 tokens) and addresses that only ever receive.</summary>
    public async Task<Party> PartyAsync(string role)
    {
        var label = $"{role}-{Interlocked.Increment(ref counter)}-{Guid.NewGuid():N}";
        var extKey = new PrivateKey(Keccak256.Hash(Encoding.UTF8.GetBytes("key " + label)));
        await FundExtAsync(extKey.Address, Amount.FromWhole(100));
        var ethKey = SwapChain.KeyFor("key " + label);
        var sender = await EthSenderAsync(ethKey);
        await TestToken.MintAsync(deployer, Token, sender.Address, 1000 * SwapChain.TokenUnit);
        var extLeg = new ExCraftLeg(new ExCraftRpc(new Uri(Ext.Rpc.Url), http), extKey, ExtBlockInterval, Fee);
        var ethLeg = new EthereumLeg(sender, Htlc, 0);
        var legs = new SwapLegs(extLeg, ethLeg);
        var store = new SwapStore(Path.Combine(Path.GetTempPath(), "excraft-swaps-" + label));
        lock (storeDirectories) storeDirectories.Add(store.Directory);
        return new Party(extKey, Receiver("ext receive " + label), Receiver("ext refund " + label),
            ethKey, sender, SwapChain.KeyFor("eth receive " + label).GetPublicAddress(), SwapChain.KeyFor("eth refund " + label).GetPublicAddress(), legs, store, extLeg);
    }

    public async Task<BigInteger> ExtHeightAsync() => (await Ext.Rpc.CallAsync("ext_blockNumber"))!.GetValue<ulong>();

    public Task<BigInteger> EthNowAsync() => Anvil.LatestTimestampAsync();

    public async Task<BigInteger> ExtBalanceAsync(Address account) => BigInteger.Parse(await Ext.Rpc.BalanceAsync(account.ToString()));

    public Task<BigInteger> EthBalanceAsync(string address) => Anvil.BalanceAsync(address);

    /// <summary>How many transactions the address has had mined (its next nonce).</summary>
    public async Task<BigInteger> EthNonceAsync(string address) =>
        (await Anvil.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(address, Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest())).Value;

    public Task<BigInteger> TokenBalanceAsync(string address) => new Erc20Client(Anvil.Web3, Token).BalanceOfAsync(address);

    private static Address Receiver(string label) => new PrivateKey(Keccak256.Hash(Encoding.UTF8.GetBytes(label))).Address;

    private async Task<TransactionSender> EthSenderAsync(EthECKey key)
    {
        await Anvil.SetBalanceAsync(key.GetPublicAddress(), 100 * SwapChain.Ether);
        return await TransactionSender.CreateAsync(Anvil.Web3, key, Nonces, HtlcClient.Errors);
    }

    private async Task FundExtAsync(Address to, UInt128 amount)
    {
        await funding.WaitAsync();
        try
        {
            var nonce = (await Ext.Rpc.CallAsync("ext_getNonce", Wallet.Dev(0).Address.ToString(), "pending"))!.GetValue<ulong>();
            var hash = (await Ext.Rpc.CallAsync("ext_sendRawTransaction", Wallet.Transfer(0, to, amount, nonce)))!.GetValue<string>();
            var receipt = await Ext.Rpc.WaitForReceiptAsync(hash);
            Assert.Equal("success", receipt["status"]!.GetValue<string>());
        }
        finally
        {
            funding.Release();
        }
    }
}

/// <summary>
/// One side of a swap: keys that sign on each chain (and pay fees), addresses that only receive
/// (so a claim or refund shows there as the exact amount), its legs and its own event store.
/// </summary>
public sealed record Party(
    PrivateKey ExtKey, Address ExtReceive, Address ExtRefund, EthECKey EthKey, TransactionSender EthSender, string EthReceive, string EthRefund,
    SwapLegs Legs, SwapStore Store, ExCraftLeg ExtLeg);
