using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Swaps.Engine;
using ExCraft.Swaps.Engine.Legs;
using ExCraft.Swaps.Ethereum;
using Nethereum.Signer;
using Nethereum.Web3;

namespace ExCraft.Cli.Commands;

/// <summary>
/// The swap configuration file (--swap-config, else $EXCRAFT_SWAP_CONFIG): where the swap logs
/// live and how this party reaches and signs on each chain (docs/swaps-engine.md "CLI").
/// </summary>
public sealed class SwapConfig
{
    public const string Variable = "EXCRAFT_SWAP_CONFIG";

    private SwapConfig(JsonObject root, string directory)
    {
        Root = root;
        DataDir = root["dataDir"] is JsonValue v && v.TryGetValue<string>(out var d) ? Path.GetFullPath(d, directory) : Path.Combine(directory, "swaps");
    }

    public JsonObject Root { get; }
    public string DataDir { get; }

    public SwapEngineOptions Options(Action<SwapEvent>? onEvent, Action<string>? onNotice = null) => new()
    {
        SafetyMargin = TimeSpan.FromSeconds(Seconds("safetyMarginSeconds", 6 * 3600)),
        MinClaimWindow = TimeSpan.FromSeconds(Seconds("minClaimWindowSeconds", 3600)),
        PollInterval = TimeSpan.FromMilliseconds(Seconds("pollMilliseconds", 5000)),
        OnEvent = onEvent,
        OnNotice = onNotice,
    };

    public static SwapConfig Load(CommandContext context, string? path)
    {
        path ??= context.Environment.Variable(Variable) ?? throw CliException.Usage($"--swap-config is required (or ${Variable})");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"--swap-config {path}: {e.Message}");
        }
        return new SwapConfig(root, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The legs this configuration sets up: "excraft" (key from the keystore or dev:N), "ethereum" (key file, HTLC address) and "bitcoin" (<see cref="BitcoinSwapConfig"/>).</summary>
    public async Task<SwapLegs> LegsAsync(CommandContext context, HttpClient http)
    {
        var legs = new List<ISwapLeg>();
        if (Root["excraft"] is JsonObject ext)
        {
            if (!KeyReference.TryParse(Text(ext, "excraft", "key"), out var reference, out var error)) throw CliException.Usage($"swap config excraft.key: {error}");
            var key = reference.Unlock(context.Keystore, context.Passwords);
            var rpc = new ExCraftRpc(new Uri(Text(ext, "excraft", "rpc")), http);
            var interval = TimeSpan.FromMilliseconds(ext["blockIntervalMs"]?.GetValue<int>() ?? 1000);
            legs.Add(new ExCraftLeg(rpc, key, interval, ext["fee"] is JsonValue f ? Amount.Parse(f.GetValue<string>()) : ExCraft.Cli.TransactionSender.DefaultFee));
        }
        if (Root["ethereum"] is JsonObject eth)
        {
            var web3 = new Web3(Text(eth, "ethereum", "rpc"));
            var keyHex = File.ReadAllText(Text(eth, "ethereum", "keyFile")).Trim();
            var sender = await ExCraft.Swaps.Ethereum.TransactionSender.CreateAsync(web3, new EthECKey(keyHex), new NonceManagers(), HtlcClient.Errors, context.Cancel);
            legs.Add(new EthereumLeg(sender, new HtlcClient(web3, Text(eth, "ethereum", "htlc")), new BigInteger(eth["fromBlock"]?.GetValue<long>() ?? 0)));
        }
        if (BitcoinSwapConfig.From(Root) is { } btc) legs.Add(await btc.LegAsync(context.Cancel));
        return new SwapLegs([.. legs]);
    }

    /// <summary>The ExCraft node of the excraft section (offers are read from it).</summary>
    public ExCraftRpc ExCraftRpc(HttpClient http) =>
        Root["excraft"] is JsonObject ext ? new ExCraftRpc(new Uri(Text(ext, "excraft", "rpc")), http) : throw CliException.Usage("the swap config has no excraft section");

    private long Seconds(string name, long fallback) => Root[name] is JsonValue v && v.TryGetValue<long>(out var n) && n >= 0 ? n : fallback;

    private static string Text(JsonObject o, string section, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw CliException.Usage($"swap config {section}.{name}: a string is required");
}
