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
    /// <summary>gRPC (docs/grpc.md): 0 turns it off; unset follows the RPC port (9545 -> 9090).</summary>
    public int? GrpcPort { get; set; }
    public string GrpcHost { get; set; } = "127.0.0.1";
    public string? ValidatorKey { get; set; }
    public string Moniker { get; set; } = Environment.MachineName;
    public string LogLevel { get; set; } = "Information";
    public bool Dev { get; set; }
    /// <summary>Overrides the genesis block interval (ms); dev chains and benchmarks only.</summary>
    public ulong? BlockIntervalMs { get; set; }

    /// <summary>"single": this node alone makes blocks (the dev chain's default); "bft": consensus with peers (the default otherwise).</summary>
    public string? Consensus { get; set; }
    public string P2pHost { get; set; } = "127.0.0.1";
    public int P2pPort { get; set; } = 26656;
    /// <summary>Peers to stay connected to, comma-separated host:port or nodeid@host:port.</summary>
    public string? Peers { get; set; }
    /// <summary>Peers to learn addresses from, comma-separated.</summary>
    public string? Seeds { get; set; }
    /// <summary>The P2P identity key file (created on first start); default DATA_DIR/node_key.json.</summary>
    public string? NodeKey { get; set; }
    /// <summary>How many of the latest blocks a validator searches for its own signatures before it signs.</summary>
    public int SignatureCheckDepth { get; set; } = 100;
    public int TimeoutProposeMs { get; set; } = 1_000;
    public int TimeoutPrevoteMs { get; set; } = 500;
    public int TimeoutPrecommitMs { get; set; } = 500;
    public int TimeoutRoundIncrementMs { get; set; } = 250;
    /// <summary>Keep only the bodies of the last N blocks (0 keeps all); receipts and commits stay.</summary>
    public ulong PruneKeepBlocks { get; set; }
    /// <summary>RocksDB block cache in MiB, shared by all column families (docs/storage.md).</summary>
    public int DbCacheMb { get; set; } = 128;
    /// <summary>Pending order transactions per sending key in the mempool (docs/markets.md, "Mempool limits"); cancels never count.</summary>
    public int MempoolMaxPendingOrders { get; set; } = 512;
    /// <summary>Order transactions per sending key one block takes; the rest wait for the next block.</summary>
    public int MempoolMaxOrdersPerBlock { get; set; } = 256;

    /// <summary>The mempool's options: the general limits at their defaults, the order limits from these options.</summary>
    public Chain.Mempool.MempoolOptions Mempool() =>
        new(MaxPendingOrdersPerAccount: MempoolMaxPendingOrders, MaxOrdersPerAccountPerBlock: MempoolMaxOrdersPerBlock);

    public bool SingleValidator => (Consensus ?? (Dev ? "single" : "bft")) == "single";

    public string ResolveDataDir() => Path.GetFullPath(DataDir ?? Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".excraft", Dev ? "dev" : "node"));
}
