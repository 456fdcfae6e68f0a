using System.Net;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Production;
using ExCraft.Consensus;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Network;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExCraft.Node.Consensus;

/// <summary>Adds the P2P network, transaction gossip and the BFT consensus loop to a node's services.</summary>
public static class ConsensusWiring
{
    public const uint ProtocolVersion = 2; // 2: module key layout and genesis sections (app and genesis hashes changed)

    public static void Add(IServiceCollection services, NodeOptions options, GenesisConfig genesis, Blockchain chain, string dataDir,
        PrivateKey? validatorKey, BlockProducer? producer, BlockExecutor blockExecutor, ParallelSignatureRecovery recovery, TransactionPool mempool,
        TransactionIngress ingress, NodeMetrics metrics, NodeStatus status, int commitDelayMs, TextWriter output)
    {
        var nodeKey = NodeKey.LoadOrCreate(options.NodeKey ?? Path.Combine(dataDir, "node_key.json"));
        if (!IPAddress.TryParse(options.P2pHost, out var p2pAddress)) throw new NodeStartupException($"--p2p-host must be an IP address, got '{options.P2pHost}'");
        var networkOptions = new NetworkOptions
        {
            ListenEndPoint = new IPEndPoint(p2pAddress, options.P2pPort),
            PersistentPeers = Split(options.Peers),
            Seeds = Split(options.Seeds),
            // On loopback every node shares one IP: banning by IP would cut off honest nodes along with a bad one.
            BanIpAddresses = !IPAddress.IsLoopback(p2pAddress),
        };
        foreach (var peer in networkOptions.PersistentPeers.Concat(networkOptions.Seeds))
        {
            if (!PeerAddress.TryParse(peer, out _, out var error)) throw new NodeStartupException($"bad peer address '{peer}': {error}");
        }

        IDoubleSignGuard? guard = null;
        ConsensusWal? wal = null;
        if (validatorKey is not null)
        {
            guard = ConsensusSetup.OpenGuard(Path.Combine(dataDir, "double_sign_guard.json"), chain, validatorKey.Address, options.SignatureCheckDepth);
            wal = ConsensusWal.Open(Path.Combine(dataDir, "consensus.wal"));
        }
        var timeouts = new ConsensusTimeouts(options.TimeoutProposeMs, options.TimeoutPrevoteMs, options.TimeoutPrecommitMs, options.TimeoutRoundIncrementMs);

        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("ExCraft.Network");
            networkOptions.Log = (level, message) => log.Log(level switch
            {
                NetworkLogLevel.Debug => LogLevel.Debug,
                NetworkLogLevel.Information => LogLevel.Information,
                NetworkLogLevel.Warning => LogLevel.Warning,
                _ => LogLevel.Error,
            }, "{Message}", message);
            return (INetwork)new NetworkService(nodeKey, new NetworkIdentity(genesis.ChainId, chain.GenesisHash, ProtocolVersion), networkOptions);
        });
        services.AddHostedService<NetworkHost>();
        services.AddSingleton(sp => new EvidenceReporter(genesis.ChainId, validatorKey, mempool, ingress, chain.State, genesis.Parameters.MinFee,
            sp.GetRequiredService<ILogger<EvidenceReporter>>()));
        services.AddSingleton(sp => new ConsensusSetup(genesis.ChainId, validatorKey, guard, wal, timeouts, commitDelayMs, sp.GetRequiredService<EvidenceReporter>()));
        services.AddSingleton(new BlockImporter(chain, blockExecutor, recovery, hash => mempool.Get(hash)?.Sender));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ConsensusService>(sp, new ProposalSource(producer)));
        services.AddHostedService(sp =>
        {
            var consensus = sp.GetRequiredService<ConsensusService>();
            var network = sp.GetRequiredService<INetwork>();
            metrics.PeerCount = () => network.Peers.Count;
            metrics.Round = () => consensus.Round;
            status.Mode = "bft";
            status.Peers = () => network.Peers.Count;
            status.ConsensusHeight = () => consensus.Height;
            status.Round = () => consensus.Round;
            status.Syncing = () => metrics.Syncing;
            status.SyncTarget = () => Math.Max(consensus.BestPeerHeight, chain.Head.Height);
            return consensus;
        });
        services.AddHostedService<TransactionGossip>();
        output.WriteLine($"P2P: {nodeKey.NodeId}@{options.P2pHost}:{options.P2pPort}");
    }

    private static List<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Starts the network with the host and closes every connection when it stops.</summary>
    private sealed class NetworkHost(INetwork network) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => network.StartAsync(cancellationToken);

        public async Task StopAsync(CancellationToken cancellationToken) => await network.DisposeAsync();
    }
}
