using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Production;
using ExCraft.Chain.Store;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Storage;

namespace ExCraft.Node;

/// <summary>
/// The dev chain on RocksDB with its mempool, ingress and block producer (the dev validator), wired
/// as the node wires them but without network, RPC or timers: for tests and benchmarks that submit
/// transactions and produce blocks in process. Disposing it closes the store.
/// </summary>
public sealed class InProcessDevChain : IDisposable
{
    private InProcessDevChain(GenesisConfig genesis, RocksDbStore store, Blockchain chain, TransactionPool mempool, TransactionIngress ingress, BlockProducer producer)
    {
        Genesis = genesis;
        Store = store;
        Chain = chain;
        Mempool = mempool;
        Ingress = ingress;
        Producer = producer;
    }

    public GenesisConfig Genesis { get; }
    public RocksDbStore Store { get; }
    public Blockchain Chain { get; }
    public TransactionPool Mempool { get; }
    public TransactionIngress Ingress { get; }
    public BlockProducer Producer { get; }

    /// <summary>Opens (or creates) the dev chain's store in <paramref name="directory"/>.</summary>
    public static InProcessDevChain Open(string directory)
    {
        var genesis = DevGenesis.Load();
        var modules = ModuleRegistry.Standard(genesis);
        var store = RocksDbStore.Open(directory, ChainKeys.StoreOptions());
        var chain = Blockchain.Open(store, genesis, modules);
        var executor = new TransactionExecutor(genesis, modules);
        var mempool = new TransactionPool(executor, chain.State, new MempoolOptions());
        var ingress = new TransactionIngress(mempool, new ParallelSignatureRecovery());
        var producer = new BlockProducer(chain, mempool, new BlockExecutor(executor), DevKeys.Validator);
        return new InProcessDevChain(genesis, store, chain, mempool, ingress, producer);
    }

    public void Dispose() => Store.Dispose();
}
