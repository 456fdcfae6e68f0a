using NBitcoin;
using NBitcoin.DataEncoders;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// The Bitcoin networks the swap code talks to: NBitcoin's mainnet, testnet and Bitcoin Core
/// regtest (bech32 <c>bcrt</c>), plus bcoin's regtest, which shares Core's genesis block and
/// consensus rules but uses its own address prefixes (base58 0x3c / 0x26, bech32 <c>rb</c>), so
/// NBitcoin needs it as a custom network to print and parse its addresses.
/// </summary>
public static class BitcoinNetworks
{
    public static Network Mainnet => Network.Main;
    public static Network Testnet => Network.TestNet;
    public static Network CoreRegtest => Network.RegTest;

    // Registered once per process: NBitcoin refuses a second network with the same name.
    private static readonly Lazy<Network> bcoinRegtest = new(BuildBcoinRegtest, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Network BcoinRegtest => bcoinRegtest.Value;

    /// <summary>Resolves a network by the names used in configuration.</summary>
    public static Network ByName(string name) => name.ToLowerInvariant() switch
    {
        "main" or "mainnet" => Mainnet,
        "test" or "testnet" => Testnet,
        "regtest" or "core-regtest" => CoreRegtest,
        "bcoin-regtest" => BcoinRegtest,
        _ => throw new ArgumentException($"unknown Bitcoin network '{name}' (use mainnet, testnet, regtest or bcoin-regtest)", nameof(name)),
    };

    private static Network BuildBcoinRegtest()
    {
        const string name = "bcoin-regtest";
        var existing = Network.GetNetwork(name);
        if (existing is not null)
            return existing;
        var core = Network.RegTest;
        var builder = new NetworkBuilder();
        builder.CopyFrom(core);
        return builder
            .SetName(name)
            .SetChainName(new ChainName("BcoinRegtest"))
            .SetNetworkSet(NBitcoin.Bitcoin.Instance)
            .SetUriScheme("bitcoin")
            // bcoin lib/protocol/networks.js, regtest section.
            .SetMagic(0xdab5bffa)
            .SetPort(48444)
            .SetRPCPort(48332)
            .SetBase58Bytes(Base58Type.PUBKEY_ADDRESS, [0x3c])
            .SetBase58Bytes(Base58Type.SCRIPT_ADDRESS, [0x26])
            .SetBase58Bytes(Base58Type.SECRET_KEY, [0x5a])
            .SetBase58Bytes(Base58Type.EXT_PUBLIC_KEY, [0xea, 0xb4, 0xfa, 0x05])
            .SetBase58Bytes(Base58Type.EXT_SECRET_KEY, [0xea, 0xb4, 0x04, 0xc7])
            .SetBech32(Bech32Type.WITNESS_PUBKEY_ADDRESS, Encoders.Bech32("rb"))
            .SetBech32(Bech32Type.WITNESS_SCRIPT_ADDRESS, Encoders.Bech32("rb"))
            .SetBech32(Bech32Type.TAPROOT_ADDRESS, Encoders.Bech32("rb"))
            .BuildAndRegister();
    }
}
