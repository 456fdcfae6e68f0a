using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules.Markets;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Markets;

/// <summary>
/// A test chain with the markets module's genesis: GOLD (6 decimals) and USD (6 decimals) held by
/// the four test accounts, Alice (account 0) as the markets authority, and two continuous markets:
/// GOLD/EXT and GOLD/USD. Tick 0.001 quote, lot 0.01 GOLD, so every quote is exact; maker fee 0.1%,
/// taker fee 0.2%; min notional 1 quote token.
/// </summary>
public sealed class ModuleTestKit : IDisposable
{
    public const string Gold = "GOLD";
    public const string Usd = "USD";
    public static readonly UInt128 GoldStart = Amount.FromWhole(1_000, 6);
    public static readonly UInt128 UsdStart = Amount.FromWhole(10_000, 6);
    public static readonly Address[] Accounts = Enumerable.Range(0, 4).Select(i => TestChain.Key(i).Address).ToArray();

    public TestChain Chain { get; }
    private readonly ulong[] _nonces = new ulong[4];

    public ModuleTestKit(Func<MarketDefinition, MarketDefinition>? adjustMarkets = null, Mempool.MempoolOptions? mempool = null,
        Func<GenesisConfig, GenesisConfig>? adjustGenesis = null)
    {
        Chain = new TestChain(mempool, genesis: g => (adjustGenesis ?? (x => x))(WithMarkets(g, adjustMarkets ?? (m => m))));
    }

    public static MarketDefinition Market(string quote, UInt128 tick) =>
        new(Gold, quote, tick, 10_000, quote == AssetSymbol.Native ? Amount.FromWhole(1) : Amount.FromWhole(1, 6), 1_000, 2_000, 0, false);

    public static GenesisConfig WithMarkets(GenesisConfig g, Func<MarketDefinition, MarketDefinition> adjust) => g with
    {
        Assets = [.. g.Assets, new GenesisAsset(Gold, 6, Address.Zero), new GenesisAsset(Usd, 6, Address.Zero)],
        Accounts = g.Accounts.Select(a => a with
        {
            Balances = [.. a.Balances.Concat([new(Gold, GoldStart), new(Usd, UsdStart)]).OrderBy(b => b.Key, StringComparer.Ordinal)],
        }).ToList(),
        Markets = new MarketsGenesis(Accounts[0], [adjust(Market(AssetSymbol.Native, Amount.FromWhole(1) / 1000)), adjust(Market(Usd, 1_000))]),
    };

    public MarketsQueries Queries => MarketsModule.Queries(Chain.Chain.State);

    public Transaction Sign(int from, TxPayload payload, UInt128? fee = null) => Chain.Sign(from, payload, _nonces[from]++, fee);

    /// <summary>Submits the transactions (all must enter the mempool), makes one block and returns its receipts in block order.</summary>
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

    public Receipt One(int from, TxPayload payload) => Block(Sign(from, payload)).Single();

    /// <summary>A limit order on GOLD/quote; price in whole quote thousandths (tick units), size in GOLD hundredths (lots).</summary>
    public static PlaceOrderPayload Limit(string quote, bool buy, UInt128 price, UInt128 size, byte timeInForce = 0, ulong clientId = 0, ulong expiry = 0,
        ulong expiryTimeMs = 0) =>
        new(Gold, quote, buy ? (byte)0 : (byte)1, 0, timeInForce, price, size, 0, clientId, expiry, 0, expiryTimeMs);

    public UInt128 Balance(int account, string asset) => Chain.Balance(Accounts[account], asset);

    public UInt128 Locked(int account, string asset) => MarketsState.ReadLocked(Chain.Chain.State, Accounts[account], asset);

    public UInt128 Supply(string asset) => State.AccountState.ReadAsset(Chain.Chain.State, asset)!.Supply;

    /// <summary>Makes blocks until one has a fee-burn event (at most 40: past an epoch end), and returns that block's burn events.</summary>
    public List<ChainEvent> BlocksUntilFeeBurn()
    {
        for (var i = 0; i < 40; i++)
        {
            Chain.ProduceBlock();
            var burns = Chain.Chain.GetBlockEvents(Chain.Chain.Head.Height).Where(e => e.Type == MarketsModule.Events.FeeBurn).ToList();
            if (burns.Count > 0) return burns;
        }
        throw new Xunit.Sdk.XunitException("no epoch end with a fee burn within 40 blocks");
    }

    public void Dispose() => Chain.Dispose();
}
