using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>
/// A test chain for the kyc and pools modules: eight funded dev accounts (1,000 EXT each), account
/// 0 the KYC authority, small pools parameters (100 EXT stake, 5 points of retained change per
/// epoch, top 2 pools eligible, 2 verified members needed) and 1 s epochs (10 blocks).
/// Per-account PoE comes from <see cref="Poe"/>, which the test fills, so pool rules can be checked
/// with chosen numbers without arranging trades (the pools module reads it through the same
/// <see cref="PoolPoeSource"/> seam as the poe module's report; PoolPoeWiringTests uses the real one).
/// </summary>
public sealed class PoolTestKit : IDisposable
{
    public const int AccountCount = 8;
    public static readonly UInt128 Stake = Amount.FromWhole(100);
    public static readonly PoolsParameters SmallPools = new(Stake, 50_000, 2, 2);
    public static readonly Address[] Accounts = Enumerable.Range(0, AccountCount).Select(i => TestChain.Key(i).Address).ToArray();

    public Dictionary<(ulong Epoch, Address Account), UInt128> Poe { get; } = [];

    public TestChain Chain { get; }

    public PoolTestKit(PoolsParameters? pools = null, Func<GenesisConfig, GenesisConfig>? adjust = null)
    {
        Chain = new TestChain(
            genesis: g => (adjust ?? (x => x))(g with
            {
                Accounts = Accounts.Select(a => new GenesisAccount(a, [new(AssetSymbol.Native, TestChain.StartBalance)], false)).ToList(),
                Kyc = new KycGenesis([Accounts[0]]),
                Pools = pools ?? SmallPools,
            }),
            modules: g => new ModuleRegistry(ModuleRegistry.Standard(g).Modules
                .Select(m => m is PoolsModule pools ? pools.WithPoeSource((_, epoch, account) => Poe.GetValueOrDefault((epoch, account))) : m).ToList()));
    }

    public IStateReader State => Chain.Chain.State;

    public ulong Epoch => EpochClock.Read(State).Epoch;

    public Transaction Tx(int from, TxPayload payload) => Chain.Sign(from, payload, Chain.Mempool.NextNonce(Accounts[from]));

    /// <summary>Submits the transactions (all must enter the mempool), makes one block and returns its receipts; the block must not end an epoch unless allowed.</summary>
    public IReadOnlyList<Receipt> Block(params Transaction[] txs)
    {
        foreach (var tx in txs)
        {
            var submitted = Chain.Submit(tx);
            Assert.True(submitted.Accepted, submitted.Error);
        }
        var receipts = Chain.ProduceBlock().Receipts;
        Assert.Equal(txs.Length, receipts.Count);
        return receipts;
    }

    /// <summary>Signs and submits each transaction in order (so one sender may send several), makes one block; every one must succeed.</summary>
    public void Batch(params (int From, TxPayload Payload)[] txs)
    {
        foreach (var (from, payload) in txs)
        {
            var submitted = Chain.Submit(Tx(from, payload));
            Assert.True(submitted.Accepted, submitted.Error);
        }
        var receipts = Chain.ProduceBlock().Receipts;
        Assert.Equal(txs.Length, receipts.Count);
        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
    }

    /// <summary>One transaction in its own block, which must succeed.</summary>
    public Receipt Ok(int from, TxPayload payload)
    {
        var r = Block(Tx(from, payload)).Single();
        Assert.True(r.Success, r.Error);
        return r;
    }

    /// <summary>One transaction in its own block, which must fail (fee paid, nothing else changed); returns its error.</summary>
    public string Fails(int from, TxPayload payload)
    {
        var r = Block(Tx(from, payload)).Single();
        Assert.False(r.Success);
        return r.Error!;
    }

    /// <summary>
    /// Makes empty blocks until the epoch changes and the ended epoch is settled (bounded; its PoE
    /// close, pools tally and payout land in the block after its last one, docs/poe.md); returns
    /// the events of the epoch's last block and of the blocks up to the settlement.
    /// </summary>
    public IReadOnlyList<ChainEvent> ToNextEpoch()
    {
        var before = Epoch;
        for (var i = 0; i < 50 && Epoch == before; i++) Chain.ProduceBlock();
        Assert.Equal(before + 1, Epoch);
        var events = Chain.Chain.GetBlockEvents(Chain.Chain.Head.Height).ToList();
        for (var i = 0; i < 5 && EmissionState.ReadTotals(State).EpochsSettled <= before; i++)
        {
            Chain.ProduceBlock();
            events.AddRange(Chain.Chain.GetBlockEvents(Chain.Chain.Head.Height));
        }
        Assert.Equal(before + 1, EmissionState.ReadTotals(State).EpochsSettled);
        return events;
    }

    /// <summary>The pools share the next epoch end can pay: the schedule's pools part of the current epoch plus the carry.</summary>
    public UInt128 PoolsAvailable()
    {
        var plan = Chain.Executor.Modules.Get<EmissionModule>().Plan;
        return EmissionState.ReadCarry(State).Carried.Pools + plan.SplitOfEpoch(Epoch).Pools;
    }

    public UInt128 Balance(int account) => Chain.Balance(Accounts[account]);

    public PoolRecord Pool(ulong id) => PoolsState.ReadPool(State, id) ?? throw new Xunit.Sdk.XunitException($"no pool {id}");

    public PoolsQueries Queries => new(State, SmallPools);

    public void Dispose() => Chain.Dispose();
}
