using System.Text.Json.Nodes;
using ExCraft.Swaps.Bitcoin;
using ExCraft.Swaps.Engine.Bitcoin;
using NBitcoin;

namespace ExCraft.Cli.Commands;

/// <summary>
/// The "bitcoin" section of the swap configuration (docs/cli.md "Bitcoin legs"): a
/// bitcoind-compatible RPC (url, user and password file, or a cookie file), the network, this
/// party's key (WIF in a file), where its claims and refunds are paid, the height scans start
/// at, and the fee rate. Everything is checked before anything is sent: the key and the address
/// must be of the network, and the node's genesis block must be the network's.
/// </summary>
public sealed class BitcoinSwapConfig
{
    private const string Section = "bitcoin";

    private BitcoinSwapConfig(JsonObject o)
    {
        Network = Parse("network", () => BitcoinNetworks.ByName(Text(o, "network")));
        Rpc = Parse("rpc", () => new Uri(Text(o, "rpc"), UriKind.Absolute));
        (User, Password) = Credentials(o);
        Key = ReadKey(Text(o, "keyFile"), Network);
        Destination = Parse("destination", () => BitcoinAddress.Create(Text(o, "destination"), Network).ScriptPubKey);
        ScanFromHeight = o["scanFromHeight"] is JsonValue h && h.TryGetValue<int>(out var height) && height >= 0
            ? height
            : throw CliException.Usage("swap config bitcoin.scanFromHeight: a block height is required (where this key's coins and the swap's locks can first appear)");
        FeeRateSatPerVByte = o["feeRateSatPerVByte"] is null ? null
            : o["feeRateSatPerVByte"] is JsonValue f && f.TryGetValue<long>(out var rate) && rate >= 1 ? rate
            : throw CliException.Usage("swap config bitcoin.feeRateSatPerVByte: a whole number of satoshis per vbyte, at least 1");
        BlockInterval = TimeSpan.FromMilliseconds(o["blockIntervalMs"] is JsonValue b && b.TryGetValue<int>(out var ms) && ms > 0 ? ms : 600_000);
    }

    public NBitcoin.Network Network { get; }
    public Uri Rpc { get; }
    public string User { get; }
    public string Password { get; }
    public Key Key { get; }
    public Script Destination { get; }
    public int ScanFromHeight { get; }
    public long? FeeRateSatPerVByte { get; }
    public TimeSpan BlockInterval { get; }

    /// <summary>The section, checked; null when the configuration has none.</summary>
    public static BitcoinSwapConfig? From(JsonObject root) =>
        root[Section] switch
        {
            null => null,
            JsonObject o => new BitcoinSwapConfig(o),
            _ => throw CliException.Usage("swap config bitcoin: an object is required"),
        };

    /// <summary>The Bitcoin leg: connects (<see cref="ConnectAsync"/>) and fixes the fee rate (configured, else the node's estimate with a 1 sat/vB floor).</summary>
    public async Task<BitcoinLeg> LegAsync(CancellationToken ct)
    {
        var node = await ConnectAsync(ct);
        var feeRate = FeeRateSatPerVByte is { } rate
            ? new FeeRate(Money.Satoshis(rate * 1000))
            : await new FeeEstimator(node.Raw, new FeeRate(Money.Satoshis(1000))).EstimateAsync(6, ct);
        var coins = new KeyCoinSource(node, Key, ScanFromHeight);
        return new BitcoinLeg(node, Key, coins.FundsAsync, Destination, feeRate, BlockInterval, ScanFromHeight);
    }

    /// <summary>A client of the configured node, checked to be on the configured network (its genesis block).</summary>
    public async Task<BitcoinNodeClient> ConnectAsync(CancellationToken ct)
    {
        var node = new BitcoinNodeClient(Rpc, User, Password, Network);
        uint256 genesis;
        try
        {
            genesis = await node.Rpc.GetBlockHashAsync(0, ct);
        }
        catch (Exception e) when (e is HttpRequestException or NBitcoin.RPC.RPCException or System.Net.Sockets.SocketException or IOException or ArgumentException or FormatException)
        {
            node.Dispose();
            throw new CliException(ExitCodes.Unreachable, $"swap config bitcoin.rpc {Rpc}: {e.Message}");
        }
        if (genesis != Network.GenesisHash)
        {
            node.Dispose();
            throw CliException.Usage($"swap config bitcoin.network: the node at {Rpc} is not on {Network.Name} (its genesis block is {genesis}, {Network.Name}'s {Network.GenesisHash})");
        }
        return node;
    }

    /// <summary>user + passwordFile, or cookieFile (bitcoind's "user:password" file); never a password in the configuration itself.</summary>
    private static (string User, string Password) Credentials(JsonObject o)
    {
        if (o["password"] is not null) throw CliException.Usage("swap config bitcoin.password: keep the password in a file (bitcoin.passwordFile) or use bitcoin.cookieFile");
        if (o["cookieFile"] is not null)
        {
            var cookie = ReadFile("cookieFile", Text(o, "cookieFile"));
            var colon = cookie.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw CliException.Usage("swap config bitcoin.cookieFile: expected user:password");
            return (cookie[..colon], cookie[(colon + 1)..]);
        }
        return (Text(o, "user"), ReadFile("passwordFile", Text(o, "passwordFile")));
    }

    /// <summary>The WIF in the file: a key of another network (a testnet key for regtest, Core's regtest for bcoin's) is refused.</summary>
    private static Key ReadKey(string path, NBitcoin.Network network)
    {
        var wif = ReadFile("keyFile", path);
        try
        {
            return Key.Parse(wif, network);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw CliException.Usage($"swap config bitcoin.keyFile {path}: not a WIF private key of {network.Name} ({e.Message})");
        }
    }

    private static string ReadFile(string name, string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"swap config bitcoin.{name}: {e.Message}");
        }
    }

    private static T Parse<T>(string name, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
        {
            throw CliException.Usage($"swap config bitcoin.{name}: {e.Message}");
        }
    }

    private static string Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw CliException.Usage($"swap config {Section}.{name}: a string is required");
}
