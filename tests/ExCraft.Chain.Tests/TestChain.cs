using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Production;
using ExCraft.Chain.Store;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;
using ExCraft.Storage;

namespace ExCraft.Chain.Tests;

/// <summary>A whole single-validator chain on a real RocksDB store in a temp directory.</summary>
public sealed class TestChain : IDisposable
{
    public const ulong ChainId = 777;
    public static readonly UInt128 MinFee = 1_000;
    public static readonly UInt128 StartBalance = Amount.FromWhole(1_000);

    public string Directory { get; }
    public RocksDbStore Store { get; private set; }
    public Blockchain Chain { get; private set; }
    public TransactionExecutor Executor { get; }
    public TransactionPool Mempool { get; private set; }
    public TransactionIngress Ingress { get; private set; }
    public BlockProducer Producer { get; private set; }
    public GenesisConfig Genesis { get; }
    private ulong _clock = GenesisTimeMs;
    public const ulong GenesisTimeMs = 1_000;

    public static PrivateKey Key(int i) => DevKeys.Account(i);

    /// <summary>An address of 20 random bytes from <paramref name="random"/> (seeded tests: the same address each run).</summary>
    public static Address RandomAddress(Random random)
    {
        var bytes = new byte[Address.Length];
        random.NextBytes(bytes);
        return new Address(bytes);
    }

    public static GenesisConfig MakeGenesis(StakingParameters? staking = null) => new(
        ChainId, "test", GenesisTimeMs, new ChainParameters(100, MinFee, 1_000, 1 << 20, 16 * 1024), staking ?? Staking,
        [new GenesisAsset(AssetSymbol.Native, 18, Address.Zero)],
        Enumerable.Range(0, 4).Select(i => new GenesisAccount(Key(i).Address, [new(AssetSymbol.Native, StartBalance)], false)).ToList(),
        [new GenesisValidator(DevKeys.Validator.Address, DevKeys.Validator.PublicKey.Compressed, Amount.FromWhole(100), "v")]);

    /// <summary>
    /// Test staking: minimum self-bond 10 EXT, at most 3 validators, 1 s epochs (10 blocks of the
    /// test clock), 5 s unbonding, and a downtime window long enough that validators which never
    /// sign here (only the genesis validator produces) are not jailed unless a test asks for it.
    /// </summary>
    public static readonly StakingParameters Staking = new(Amount.FromWhole(10), MaxValidators: 3, EpochLengthMs: 1_000, UnbondingPeriodMs: 5_000,
        DowntimeWindowBlocks: 1_000, DowntimeMinSignedPpm: 500_000, DowntimeJailMs: 2_000);

    public TestChain(MempoolOptions? mempoolOptions = null, StakingParameters? staking = null, Func<GenesisConfig, Modules.ModuleRegistry>? modules = null,
        Func<GenesisConfig, GenesisConfig>? genesis = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "excraft-chain-" + Guid.NewGuid().ToString("N"));
        Genesis = genesis is null ? MakeGenesis(staking) : genesis(MakeGenesis(staking));
        Executor = new TransactionExecutor(Genesis, modules?.Invoke(Genesis));
        _mempoolOptions = mempoolOptions ?? new MempoolOptions();
        Open();
    }

    private readonly MempoolOptions _mempoolOptions;

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(Store), nameof(Chain), nameof(Mempool), nameof(Ingress), nameof(Producer))]
    private void Open()
    {
        Store = RocksDbStore.Open(Directory, ChainKeys.StoreOptions()); // the node's layout
        Chain = Blockchain.Open(Store, Genesis, Executor.Modules);
        Mempool = new TransactionPool(Executor, Chain.State, _mempoolOptions);
        Ingress = new TransactionIngress(Mempool, new ParallelSignatureRecovery());
        Producer = new BlockProducer(Chain, Mempool, new BlockExecutor(Executor), DevKeys.Validator);
    }

    /// <summary>Closes and reopens the store, as a node restart does.</summary>
    public void Reopen()
    {
        Store.Dispose();
        Open();
    }

    public Transaction Transfer(int from, Address to, UInt128 amount, ulong nonce, UInt128? fee = null, string asset = AssetSymbol.Native) =>
        Transaction.Create(ChainId, nonce, fee ?? MinFee, new TransferPayload(to, asset, amount), Key(from));

    public Transaction Sign(int from, TxPayload payload, ulong nonce, UInt128? fee = null) =>
        Transaction.Create(ChainId, nonce, fee ?? MinFee, payload, Key(from));

    public SubmitResult Submit(Transaction tx) => Ingress.Submit(tx.Encoded);

    public (Core.Blocks.Block Block, IReadOnlyList<Receipt> Receipts) ProduceBlock() => Producer.ProduceBlock(_clock += 100);

    /// <summary>The block context execution tests use: the next height, now, the validator as proposer.</summary>
    public BlockContext NextBlock() => new(Chain.Head.Height + 1, _clock + 100, DevKeys.Validator.Address, Core.Blocks.Commit.Empty);

    public UInt128 Balance(Address account, string asset = AssetSymbol.Native) => State.AccountState.ReadBalance(Chain.State, account, asset);

    public ulong Nonce(Address account) => State.AccountState.ReadNonce(Chain.State, account);

    public void Dispose()
    {
        Store.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
