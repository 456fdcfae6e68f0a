using System.Reflection;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Production;
using ExCraft.Chain.Store;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Node.Consensus;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Rpc.Http;
using ExCraft.Rpc.JsonRpc;
using ExCraft.Rpc.Methods;
using ExCraft.Rpc.Subscriptions;
using ExCraft.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExCraft.Node;

/// <summary>
/// Starts a node: configuration, genesis, the RocksDB store, the chain, mempool, block
/// production and the RPC server, all in one Generic Host with graceful shutdown.
/// </summary>
public static class NodeRunner
{
    public static string Version => typeof(NodeRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Runs until stopped; returns the process exit code (1 with one clear line on a startup problem).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        WebApplication app;
        try
        {
            app = Build(NodeConfiguration.Parse(args), output);
        }
        catch (Exception e) when (e is NodeStartupException or GenesisException or StorageException)
        {
            await Console.Error.WriteLineAsync($"excraft-node: {e.Message}");
            return 1;
        }
        try
        {
            await app.RunAsync();
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"excraft-node: cannot listen for RPC: {e.Message}");
            await app.DisposeAsync();
            return 1;
        }
        return 0;
    }

    private static WebApplication Build(NodeOptions options, TextWriter output)
    {
        var genesis = options.Dev && options.Genesis is null ? DevGenesis.Load() : GenesisConfig.Load(options.Genesis ?? throw new NodeStartupException("no genesis file given (use --genesis FILE, or --dev for a local dev chain)"));
        var validatorKey = options.ValidatorKey is { } keyFile ? ValidatorKeyFile.Load(keyFile) : options.Dev ? DevKeys.Validator : null;
        if (validatorKey is null && options.SingleValidator) throw new NodeStartupException("no validator key given (use --validator-key FILE)");
        if (!Enum.TryParse<LogLevel>(options.LogLevel, ignoreCase: true, out var logLevel))
            throw new NodeStartupException($"unknown log level '{options.LogLevel}' (use Trace, Debug, Information, Warning, Error)");

        var dataDir = options.ResolveDataDir();
        Directory.CreateDirectory(dataDir);
        var modules = ModuleRegistry.Standard(genesis); // the state machine's modules, checked for colliding prefixes and kinds here
        var store = RocksDbStore.Open(Path.Combine(dataDir, "db"), ChainKeys.StoreOptions(new RocksDbOptions(BlockCacheMegabytes: options.DbCacheMb)));
        Blockchain chain;
        try
        {
            chain = Blockchain.Open(store, genesis, modules);
            chain.PruneKeepBlocks = options.PruneKeepBlocks;
            if (options.SingleValidator && StakingState.ReadActiveSet(chain.State).ByConsensusAddress(validatorKey!.Address) is null)
                throw new NodeStartupException($"validator key {validatorKey.Address} is not in the active validator set");
        }
        catch
        {
            store.Dispose();
            throw;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Parse(options.RpcHost), options.RpcPort);
            k.Limits.MaxRequestBodySize = new RpcLimits().MaxRequestBytes;
        });
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        var executor = new TransactionExecutor(genesis, modules);
        var blockExecutor = new BlockExecutor(executor);
        var mempool = new TransactionPool(executor, chain.State, options.Mempool());
        var recovery = new ParallelSignatureRecovery();
        var ingress = new TransactionIngress(mempool, recovery);
        var commitClock = new CommitClock();
        chain.Committed += commitClock.OnCommitted; // first, so its time precedes every notification of the block
        var hub = new SubscriptionHub(chain); // the chain: swapOffers notifications read the offer and the block's expiry events
        chain.Committed += hub.OnCommitted;
        var metrics = new NodeMetrics(chain, mempool);
        var registry = new RpcMethodRegistry();
        var status = new NodeStatus();
        var nodeInfo = new NodeInfo(Version, options.Moniker, validatorKey?.Address, dataDir, status);
        new ExtMethods(chain, mempool, ingress, hub, nodeInfo).Register(registry);
        new StakingMethods(chain).Register(registry);
        new HtlcMethods(chain).Register(registry);
        new SwapOfferMethods(chain).Register(registry);
        var marketData = ExCraft.Rpc.MarketData.MarketDataIndex.Open(chain); // rebuilt from the stored blocks' events (docs/market-data.md)
        hub.AttachMarketData(marketData);
        new MarketMethods(chain, marketData, hub).Register(registry);
        new KycMethods(chain).Register(registry);
        new PoolMethods(chain, modules.Get<ExCraft.Chain.Modules.Pools.PoolsModule>()).Register(registry);
        new PoeMethods(chain).Register(registry);
        new MarketAgentMethods(chain).Register(registry);
        new EmissionMethods(chain, modules.Get<ExCraft.Chain.Modules.Emission.EmissionModule>().RequireTable()).Register(registry); // builds the emission table and checks its pinned hash at start
        var grpcPort = GrpcHosting.Add(builder, options, nodeInfo, output);

        builder.Services.AddSingleton<IKeyValueStore>(store); // disposed by the host after the hosted services stop
        builder.Services.AddSingleton(chain);
        builder.Services.AddSingleton(mempool);
        builder.Services.AddSingleton(ingress);
        builder.Services.AddSingleton(hub);
        builder.Services.AddSingleton(marketData);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(new RpcLimits());
        builder.Services.AddSingleton<JsonRpcDispatcher>();
        var blockInterval = options.BlockIntervalMs ?? genesis.Parameters.BlockIntervalMs;
        var producer = validatorKey is null ? null : new BlockProducer(chain, mempool, blockExecutor, validatorKey); // a full node never proposes
        if (producer is not null) builder.Services.AddSingleton(producer);
        if (options.SingleValidator)
        {
            builder.Services.AddSingleton(new ChainTiming(blockInterval));
            builder.Services.AddSingleton(commitClock);
            builder.Services.AddHostedService<BlockProductionService>();
        }
        else
        {
            ConsensusWiring.Add(builder.Services, options, genesis, chain, dataDir, validatorKey, producer, blockExecutor, recovery, mempool, ingress, metrics, status, (int)blockInterval, output);
        }

        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapExCraftRpc();
        GrpcHosting.Map(app, options, grpcPort, output);
        app.MapGet("/metrics", (NodeMetrics m) => Results.Text(m.Render(), "text/plain; version=0.0.4"));

        output.WriteLine($"ExCraft node {Version}: chain {genesis.ChainName} (id {genesis.ChainId}), height {chain.Head.Height}, data {dataDir}");
        output.WriteLine($"JSON-RPC: http://{options.RpcHost}:{options.RpcPort}/  WebSocket: ws://{options.RpcHost}:{options.RpcPort}/ws  metrics: /metrics");
        output.WriteLine(options.SingleValidator ? $"single validator {validatorKey!.Address}" : validatorKey is null ? "full node (no validator key)" : $"validator {validatorKey.Address}");
        if (options.Dev) DevGenesis.PrintAccounts(output);
        return app;
    }
}
