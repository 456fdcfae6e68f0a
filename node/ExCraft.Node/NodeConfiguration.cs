using Microsoft.Extensions.Configuration;

namespace ExCraft.Node;

/// <summary>Builds NodeOptions from the config file and command-line switches; unknown switches are errors.</summary>
public static class NodeConfiguration
{
    /// <summary>The mempool's general limit on pending transactions per account (MempoolOptions.MaxPerAccount); the order limits stay within it.</summary>
    private static readonly int MaxOrderLimit = new Chain.Mempool.MempoolOptions().MaxPerAccount;

    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--config"] = "Config",
        ["--data-dir"] = "Node:DataDir",
        ["--genesis"] = "Node:Genesis",
        ["--rpc-host"] = "Node:RpcHost",
        ["--rpc-port"] = "Node:RpcPort",
        ["--grpc-host"] = "Node:GrpcHost",
        ["--grpc-port"] = "Node:GrpcPort",
        ["--validator-key"] = "Node:ValidatorKey",
        ["--moniker"] = "Node:Moniker",
        ["--log-level"] = "Node:LogLevel",
        ["--block-interval-ms"] = "Node:BlockIntervalMs",
        ["--consensus"] = "Node:Consensus",
        ["--p2p-host"] = "Node:P2pHost",
        ["--p2p-port"] = "Node:P2pPort",
        ["--peers"] = "Node:Peers",
        ["--seeds"] = "Node:Seeds",
        ["--node-key"] = "Node:NodeKey",
        ["--signature-check-depth"] = "Node:SignatureCheckDepth",
        ["--timeout-propose-ms"] = "Node:TimeoutProposeMs",
        ["--timeout-prevote-ms"] = "Node:TimeoutPrevoteMs",
        ["--timeout-precommit-ms"] = "Node:TimeoutPrecommitMs",
        ["--prune-keep-blocks"] = "Node:PruneKeepBlocks",
        ["--db-cache-mb"] = "Node:DbCacheMb",
        ["--mempool-max-pending-orders"] = "Node:MempoolMaxPendingOrders",
        ["--mempool-max-orders-per-block"] = "Node:MempoolMaxOrdersPerBlock",
    };

    public static NodeOptions Parse(string[] args)
    {
        var dev = args.Contains("--dev");
        var rest = args.Where(a => a != "--dev").ToArray();
        for (var i = 0; i < rest.Length; i += 2)
        {
            if (!Switches.ContainsKey(rest[i])) throw new NodeStartupException($"unknown option '{rest[i]}'. Options: --dev {string.Join(' ', Switches.Keys)}");
            if (i + 1 >= rest.Length) throw new NodeStartupException($"option '{rest[i]}' needs a value");
        }
        var commandLine = new ConfigurationBuilder().AddCommandLine(rest, Switches).Build();
        var builder = new ConfigurationBuilder();
        if (commandLine["Config"] is { } file)
        {
            if (!File.Exists(file)) throw new NodeStartupException($"config file not found: {file}");
            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }
        builder.AddCommandLine(rest, Switches);
        var options = new NodeOptions();
        try
        {
            builder.Build().GetSection("Node").Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new NodeStartupException($"invalid configuration: {e.InnerException?.Message ?? e.Message}");
        }
        options.Dev |= dev;
        if (options.DbCacheMb is < 1 or > 1_048_576) throw new NodeStartupException($"--db-cache-mb must be between 1 and 1048576 (MiB), got {options.DbCacheMb}");
        // Order limits: at least 1 (0 would refuse every order), at most the general per-account limit (beyond it they would never bind).
        if (options.MempoolMaxPendingOrders < 1 || options.MempoolMaxPendingOrders > MaxOrderLimit)
            throw new NodeStartupException($"--mempool-max-pending-orders must be between 1 and {MaxOrderLimit}, got {options.MempoolMaxPendingOrders}");
        if (options.MempoolMaxOrdersPerBlock < 1 || options.MempoolMaxOrdersPerBlock > MaxOrderLimit)
            throw new NodeStartupException($"--mempool-max-orders-per-block must be between 1 and {MaxOrderLimit}, got {options.MempoolMaxOrdersPerBlock}");
        if (options.Consensus is not (null or "single" or "bft")) throw new NodeStartupException($"--consensus must be single or bft, got '{options.Consensus}'");
        return options;
    }
}

/// <summary>A problem that stops the node from starting, reported as one clear line.</summary>
public sealed class NodeStartupException(string message) : Exception(message);
