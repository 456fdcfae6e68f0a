namespace ExCraft.Node;

/// <summary>
/// Node settings, from an optional JSON config file (section "Node") overridden by the command
/// line (--data-dir, --genesis, --rpc-host, --rpc-port, --validator-key, --moniker, --log-level, --dev).
/// </summary>
public sealed class NodeOptions
{
    public string? DataDir { get; set; }
    public string? Genesis { get; set; }
    public string RpcHost { get; set; } = "127.0.0.1";
    public int RpcPort { get; set; } = 9545;
    public string? ValidatorKey { get; set; }
    public string Moniker { get; set; } = Environment.MachineName;
    public string LogLevel { get; set; } = "Information";
    public bool Dev { get; set; }
    /// <summary>Overrides the genesis block interval (ms); dev chains and benchmarks only.</summary>
    public ulong? BlockIntervalMs { get; set; }

    public string ResolveDataDir() => Path.GetFullPath(DataDir ?? Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".excraft", Dev ? "dev" : "node"));
}
