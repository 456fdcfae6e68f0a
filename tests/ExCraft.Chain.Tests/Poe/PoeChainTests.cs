using System.Numerics;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.State;
using ExCraft.Chain.Tests.Markets;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Poe;

/// <summary>
/// PoE on a real chain (1 s epochs of 10 blocks, the markets kit's GOLD/EXT and GOLD/USD markets,
/// 0.1% maker and 0.2% taker fees): three trades and a prevented self-trade in one epoch, then the
/// report, the closing prices, the rewards in balances and the supply, against numbers worked out
/// here by hand. Accounts 1 and 3 are registered, 2 is not; account 0 (the markets authority, which
/// receives fee-burn proceeds) does not trade.
/// </summary>
public sealed class PoeChainTests : IDisposable
{
    private const string EXT = AssetSymbol.Native;
    private const string GOLD = ModuleTestKit.Gold;
    private const string USD = ModuleTestKit.Usd;
    private static readonly UInt128 Ext = Amount.FromWhole(1);
    private static readonly UInt128 Gold = Amount.FromWhole(1, 6);
    private static readonly Address[] A = ModuleTestKit.Accounts;

    private TestChain _t = null!;

    public void Dispose() => _t?.Dispose();

    /// <summary>The cap comes from the genesis "poe" section when genesis allows it (1..10^6 ppm); a larger one (a test without guard) is passed to the registry.</summary>
    private void Start(ulong washCapPpm, Func<MarketDefinition, MarketDefinition>? adjust = null, ulong closeChunk = PoeParameters.DefaultCloseChunkAccounts)
    {
        var inGenesis = washCapPpm <= PoeParameters.PpmDenominator;
        _t = new TestChain(
            modules: inGenesis ? null : g => ModuleRegistry.Standard(g.ChainId, g.Staking, g.Emission, g.Pools, poe: new PoeParameters(EXT, washCapPpm)),
            genesis: g =>
            {
                var withMarkets = ModuleTestKit.WithMarkets(g, adjust ?? (m => m));
                return withMarkets with
                {
                    Accounts = withMarkets.Accounts.Select(a => a with { Registered = a.Address == A[1] || a.Address == A[3] }).ToList(),
                    Poe = inGenesis ? new PoeParameters(EXT, washCapPpm, closeChunk) : PoeParameters.Mainnet,
                };
            });
    }

    private ulong Epoch => EpochClock.Read(_t.Chain.State).Epoch;

    private void Block(params (int From, TxPayload Payload)[] txs)
    {
        foreach (var (from, payload) in txs)
        {
            var submitted = _t.Submit(_t.Sign(from, payload, _t.Mempool.NextNonce(A[from])));
            Assert.True(submitted.Accepted, submitted.Error);
        }
        var (_, receipts) = _t.ProduceBlock();
        Assert.All(receipts, r => Assert.True(r.Success, r.Error));
    }

    private void ToNextEpoch()
    {
        var before = Epoch;
        for (var i = 0; i < 30 && Epoch == before; i++) _t.ProduceBlock();
        Assert.Equal(before + 1, Epoch);
        // the epoch's PoE close, pools tally and emission payout land in the block after its last one (docs/poe.md, "The close spread over blocks")
        for (var i = 0; i < 30 && EmissionState.ReadTotals(_t.Chain.State).EpochsSettled <= before; i++) _t.ProduceBlock();
        Assert.Equal(before + 1, EmissionState.ReadTotals(_t.Chain.State).EpochsSettled);
    }

    private static PlaceOrderPayload Order(string quote, bool buy, UInt128 price, UInt128 size, byte tif = 0, byte selfTrade = 0) =>
        new(GOLD, quote, buy ? (byte)0 : (byte)1, 0, tif, price, size, 0, 0, 0, selfTrade);

    /// <summary>The epoch's trades (7 blocks, inside one 10-block epoch started just before): T1 100 GOLD at 2 EXT (2 buys from 1), T2 40 GOLD at 2.5 EXT (1 buys from 3), T3 10 GOLD at 3 USD (3 buys from 2), and account 1 crossing itself.</summary>
    private ulong TradeOneEpoch()
    {
        ToNextEpoch();
        var epoch = Epoch;
        Block((1, Order(EXT, false, 2 * Ext, 100 * Gold)));
        Block((2, Order(EXT, true, 2 * Ext, 100 * Gold)));
        Block((3, Order(EXT, false, 25 * Ext / 10, 40 * Gold)));
        Block((1, Order(EXT, true, 25 * Ext / 10, 40 * Gold)));
        Block((2, Order(USD, false, 3 * Gold, 10 * Gold)));
        Block((3, Order(USD, true, 3 * Gold, 10 * Gold)));
        Block((1, Order(EXT, false, 24 * Ext / 10, 5 * Gold)), (1, Order(EXT, true, 24 * Ext / 10, 5 * Gold, tif: 1, selfTrade: 2))); // self-trade prevented: cancels both
        Assert.Equal(epoch, Epoch);
        Assert.Equal(3ul, MarketsQueriesTrades());
        return epoch;
    }

    private ulong MarketsQueriesTrades() =>
        (ulong)(Modules.Markets.MarketsModule.Queries(_t.Chain.State).Trades(GOLD, EXT, 1, 100).Count + Modules.Markets.MarketsModule.Queries(_t.Chain.State).Trades(GOLD, USD, 1, 100).Count);

    // Worked out by hand. GOLD closes at 2.5 EXT (T2, the last GOLD/EXT trade); USD through GOLD: 2.5 EXT / 3 = floor(2.5e18 * 1e6 / 3e6).
    private static readonly UInt128 UsdPrice = 833_333_333_333_333_333;
    // PoE: account 1 traded 140 GOLD, 2 traded 110, 3 traded 50, at 2.5 EXT.
    private static readonly UInt128[] PoeOf = [0, 350 * Ext, 275 * Ext, 125 * Ext];
    // Fees valued in EXT: 1 paid 0.2 EXT (maker on T1) + 0.08 GOLD (taker on T2) = 0.4 EXT; 2 paid 0.2 GOLD (T1) = 0.5 EXT + 0.03 USD
    // (maker on T3) = floor(30,000 * UsdPrice / 1e6); 3 paid 0.1 EXT (maker on T2) + 0.02 GOLD (taker on T3) = 0.15 EXT.
    private static readonly UInt128[] FeesOf = [0, 4 * Ext / 10, 5 * Ext / 10 + 30_000 * UsdPrice / 1_000_000, 15 * Ext / 100];

    [Fact]
    public void Rewards_are_pro_rata_to_registered_poe_and_land_in_balances_with_the_supply_exact()
    {
        Start(washCapPpm: 1_000_000_000_000); // the guard never binds here: pure pro rata
        var epoch = TradeOneEpoch();
        var emission = _t.Executor.Modules.Get<EmissionModule>();
        var available = EmissionState.ReadCarry(_t.Chain.State).Carried.ProofOfExistence + emission.Plan.SplitOfEpoch(epoch).ProofOfExistence;
        var mintedBefore = EmissionState.ReadTotals(_t.Chain.State).Minted.ProofOfExistence;
        var balances = A.Select(a => _t.Balance(a)).ToArray();
        ToNextEpoch();
        var state = _t.Chain.State;

        var prices = PoeState.ReadClosingPrices(state, epoch).ToDictionary(p => p.Asset);
        Assert.Equal(new ClosingPrice(GOLD, 6, 25 * Ext / 10, PriceSource.Direct, "", 0), prices[GOLD]);
        Assert.Equal(new ClosingPrice(USD, 6, UsdPrice, PriceSource.Intermediate, GOLD, 0), prices[USD]);
        Assert.Equal(PriceSource.Reference, prices[EXT].Source);

        var expected = new UInt128[4];
        var eligible = PoeOf[1] + PoeOf[3];
        expected[1] = (UInt128)((BigInteger)available * PoeOf[1] / eligible);
        expected[3] = (UInt128)((BigInteger)available * PoeOf[3] / eligible);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(PoeOf[i], PoeState.AccountPoe(state, epoch, A[i]));
            Assert.Equal(balances[i] + expected[i], _t.Balance(A[i]));
        }
        // Every trader with its PoE, in address order.
        Assert.Equal(new[] { (A[1], PoeOf[1]), (A[2], PoeOf[2]), (A[3], PoeOf[3]) }.OrderBy(x => x.Item1).ToList(), PoeState.EpochPoe(state, epoch).ToList());
        Assert.Equal(UInt128.Zero, PoeState.AccountPoe(state, epoch, A[0]));

        var summary = PoeState.ReadSummary(state, epoch)!;
        var paid = expected[1] + expected[3];
        Assert.Equal((available, paid, eligible, 3ul, 2ul, UInt128.Zero), (summary.Available, summary.Paid, summary.EligiblePoe, summary.Entries, summary.RewardedAccounts, summary.HeldByGuard));
        // The emission module minted exactly the report's rewards and carried the rest; the supply check ran in every block.
        Assert.Equal(mintedBefore + paid, EmissionState.ReadTotals(state).Minted.ProofOfExistence);
        Assert.True(EmissionState.ReadCarry(state).Carried.ProofOfExistence >= available - paid);
        SupplyInvariant.Check(state, emission.Plan);

        // Entries: masked ids ascending, the unregistered account gets nothing; the root is the tree over them.
        var entries = PoeState.ReadEntries(state, epoch, 0, 10);
        Assert.Equal(entries.Select(e => Convert.ToHexString(e.MaskedId)).Order(StringComparer.Ordinal), entries.Select(e => Convert.ToHexString(e.MaskedId)));
        for (var i = 1; i <= 3; i++)
        {
            var entry = entries.Single(e => e.MaskedId.AsSpan().SequenceEqual(Keccak256.Hash([.. A[i].ToBytes(), .. BitConverter.GetBytes(epoch).Reverse()])));
            Assert.Equal((PoeOf[i], 1ul, 1ul, i != 2, FeesOf[i], expected[i]), (entry.Poe, entry.Buys, entry.Sells, entry.Registered, entry.FeesValue, entry.Reward));
        }
        Assert.Equal(PoeMerkle.Root(entries.Select(e => e.LeafHash()).ToList()), summary.Root);

        // Per-market tallies: GOLD/EXT two trades (both taker buys), GOLD/USD one.
        var markets = PoeState.ReadMarketTallies(state, epoch);
        Assert.Equal([("GOLD", "EXT", 2ul, 2ul, 0ul, 140 * Gold), ("GOLD", "USD", 1ul, 1ul, 0ul, 10 * Gold)],
            markets.Select(m => (m.Base, m.Quote, m.Trades, m.TakerBuys, m.TakerSells, m.BaseVolume)).ToList());

        // Queries: a proof for each account checks against the root; the open epoch has no report.
        var q = PoeModule.Queries(state);
        var proof = q.EntryWithProof(epoch, A[3])!;
        Assert.True(PoeMerkle.Verify(proof.Entry.LeafHash(), proof.Proof, summary.Root));
        Assert.Null(q.EntryWithProof(epoch, A[0]));
        Assert.Throws<PoeEpochNotClosedException>(() => q.EntryWithProof(Epoch, A[3]));
        Assert.Equal([false, true], q.AccountRange(A[1], epoch - 1, epoch).Select(l => l.Traded));
    }

    /// <summary>What a chain that traded one epoch ends with once that epoch is settled: report, entries, balances, supply, minted and carried.</summary>
    private (PoeReportSummary Summary, string Entries, UInt128[] Balances, UInt128 Supply, ShareAmounts Minted, ShareAmounts Carried) Outcome(ulong epoch)
    {
        var state = _t.Chain.State;
        var entries = string.Join(",", PoeState.ReadEntries(state, epoch, 0, 100).Select(e => Convert.ToHexString(e.Encode())));
        return (PoeState.ReadSummary(state, epoch)!, entries, A.Select(a => _t.Balance(a)).ToArray(), AccountState.ReadAsset(state, EXT)!.Supply,
            EmissionState.ReadTotals(state).Minted, EmissionState.ReadCarry(state).Carried);
    }

    [Fact]
    public void A_close_in_chunks_of_one_account_spans_blocks_answers_not_closed_yet_and_pays_exactly_what_a_one_block_close_pays()
    {
        Start(washCapPpm: 900_000);
        var epoch = TradeOneEpoch();
        ToNextEpoch();
        var atOnce = Outcome(epoch);
        _t.Dispose();

        Start(washCapPpm: 900_000, closeChunk: 1);
        Assert.Equal(epoch, TradeOneEpoch());
        var before = Epoch;
        for (var i = 0; i < 30 && Epoch == before; i++) _t.ProduceBlock();
        Assert.Equal(epoch + 1, Epoch);
        // 3 accounts, one account's work per block: valued in 3 blocks, paid in 3 more; the supply check runs in each of them.
        var emission = _t.Executor.Modules.Get<EmissionModule>();
        var seen = new List<ulong?>();
        for (var block = 0; block < 6; block++)
        {
            var q = PoeModule.Queries(_t.Chain.State);
            var e = Assert.Throws<PoeEpochNotClosedException>(() => q.Summary(epoch));
            var done = q.Closing?.Done;
            Assert.Contains(done is { } n ? $"epoch {epoch} not closed yet ({n} of 3 accounts done)" : $"epoch {epoch} not closed yet (its close has not started", e.Message);
            seen.Add(done);
            Assert.Equal(epoch, EmissionState.ReadTotals(_t.Chain.State).EpochsSettled); // nothing of the epoch is paid or minted before its report
            SupplyInvariant.Check(_t.Chain.State, emission.Plan);
            _t.ProduceBlock();
        }
        Assert.Equal(new ulong?[] { null, 0, 1, 1, 2, 2 }, seen); // the close starts in the block after the epoch's last; each account counts half per phase
        // The 6th block finished the report; pools and emission settled it in the same block.
        Assert.NotNull(PoeState.ReadSummary(_t.Chain.State, epoch));
        Assert.Equal(epoch + 1, EmissionState.ReadTotals(_t.Chain.State).EpochsSettled);
        Assert.Null(PoeModule.Queries(_t.Chain.State).Closing);
        var chunked = Outcome(epoch);
        Assert.Equal(atOnce.Summary.Encode(), chunked.Summary.Encode());
        Assert.Equal(atOnce.Entries, chunked.Entries);
        Assert.Equal(atOnce.Balances, chunked.Balances);
        Assert.Equal((atOnce.Supply, atOnce.Minted, atOnce.Carried), (chunked.Supply, chunked.Minted, chunked.Carried));
        Assert.True(chunked.Summary.Paid > 0);
    }

    [Theory]
    [InlineData(900_000UL)] // the default
    [InlineData(450_000UL)] // another cap from the genesis "poe" section
    public void The_wash_guard_caps_each_reward_at_the_genesis_share_of_its_fees_and_the_excess_carries(ulong washCapPpm)
    {
        Start(washCapPpm);
        Assert.Equal(washCapPpm, _t.Executor.Modules.Get<PoeModule>().Parameters.WashCapPpm);
        var epoch = TradeOneEpoch();
        var emission = _t.Executor.Modules.Get<EmissionModule>();
        var available = EmissionState.ReadCarry(_t.Chain.State).Carried.ProofOfExistence + emission.Plan.SplitOfEpoch(epoch).ProofOfExistence;
        var balances = A.Select(a => _t.Balance(a)).ToArray();
        ToNextEpoch();
        var state = _t.Chain.State;

        // The pro-rata shares are tens of thousands of EXT; the caps are the cap's share of the fees.
        var cap1 = FeesOf[1] * washCapPpm / 1_000_000;
        var cap3 = FeesOf[3] * washCapPpm / 1_000_000;
        Assert.Equal(balances[1] + cap1, _t.Balance(A[1]));
        Assert.Equal(balances[3] + cap3, _t.Balance(A[3]));
        Assert.Equal(balances[2], _t.Balance(A[2]));
        var summary = PoeState.ReadSummary(state, epoch)!;
        Assert.Equal(washCapPpm, summary.WashCapPpm);
        var eligible = PoeOf[1] + PoeOf[3];
        var shares = (UInt128)((BigInteger)available * PoeOf[1] / eligible) + (UInt128)((BigInteger)available * PoeOf[3] / eligible);
        Assert.Equal(cap1 + cap3, summary.Paid);
        Assert.Equal(shares - cap1 - cap3, summary.HeldByGuard);
        // What was not paid is the next epoch's PoE carry (before that epoch adds its own share).
        Assert.Equal(available - summary.Paid, EmissionState.ReadCarry(state).Carried.ProofOfExistence);
    }

    [Fact]
    public void Fee_less_trades_count_nothing_and_the_whole_share_carries()
    {
        Start(washCapPpm: 900_000, adjust: m => m with { MakerFeePpm = 0, TakerFeePpm = 0 });
        ToNextEpoch();
        var epoch = Epoch;
        Block((1, Order(EXT, false, 2 * Ext, 100 * Gold)));
        Block((3, Order(EXT, true, 2 * Ext, 100 * Gold)));
        Assert.Equal(epoch, Epoch);
        var emission = _t.Executor.Modules.Get<EmissionModule>();
        var available = EmissionState.ReadCarry(_t.Chain.State).Carried.ProofOfExistence + emission.Plan.SplitOfEpoch(epoch).ProofOfExistence;
        ToNextEpoch();
        var state = _t.Chain.State;
        var summary = PoeState.ReadSummary(state, epoch)!;
        Assert.Equal((0ul, UInt128.Zero), (summary.Entries, summary.Paid));
        Assert.Equal(PoeMerkle.EmptyRoot, summary.Root);
        Assert.Empty(PoeState.EpochPoe(state, epoch));
        Assert.Empty(PoeState.ReadMarketTallies(state, epoch));
        Assert.Equal(available, EmissionState.ReadCarry(state).Carried.ProofOfExistence);
        // The trade was still made; only PoE ignores it, and a later epoch still knows no GOLD price.
        Assert.Single(Modules.Markets.MarketsModule.Queries(state).Trades(GOLD, EXT, 1, 10));
        Assert.Equal(PriceSource.Unpriceable, PoeState.ReadClosingPrices(state, epoch).Single(p => p.Asset == GOLD).Source);
    }

    [Fact]
    public void A_later_epoch_without_trades_carries_the_closing_price_and_survives_a_restart()
    {
        Start(washCapPpm: 900_000);
        var epoch = TradeOneEpoch();
        ToNextEpoch();
        _t.Reopen();
        ToNextEpoch();
        var later = PoeState.ReadClosingPrices(_t.Chain.State, epoch + 1).ToDictionary(p => p.Asset);
        Assert.Equal(new ClosingPrice(GOLD, 6, 25 * Ext / 10, PriceSource.Carried, "", epoch), later[GOLD]);
        Assert.Equal(new ClosingPrice(USD, 6, UsdPrice, PriceSource.Carried, "", epoch), later[USD]);
        Assert.Equal(0ul, PoeState.ReadSummary(_t.Chain.State, epoch + 1)!.Entries);
        Assert.Equal(PoeOf[1], PoeState.AccountPoe(_t.Chain.State, epoch, A[1]));
    }

    [Fact]
    public void The_epoch_end_fee_buyback_trades_count_in_the_epoch_they_close_and_set_its_closing_price()
    {
        Start(washCapPpm: 900_000);
        ToNextEpoch();
        var epoch = Epoch;
        Block((3, Order(EXT, true, 195 * Ext / 100, 1 * Gold))); // the bid the protocol's buyback sells into at the epoch end
        Block((1, Order(EXT, false, 2 * Ext, 400 * Gold)));
        Block((2, Order(EXT, true, 2 * Ext, 400 * Gold))); // 0.8 GOLD taker fee: 0.64 GOLD of it is sold at the epoch end
        Assert.Equal(epoch, Epoch);
        ToNextEpoch();
        var state = _t.Chain.State;

        // The buyback's fill is the epoch's last GOLD/EXT trade: GOLD closes at 1.95 EXT.
        Assert.Equal(195 * Ext / 100, PoeState.ReadClosingPrices(state, epoch).Single(p => p.Asset == GOLD).Price);
        var index = PoeState.ReadIndex(state, epoch, A[3])!.Value;
        var entry = PoeState.ReadEntry(state, epoch, index.Position)!;
        Assert.Equal((1ul, 0ul, 64 * Gold / 100 * 195 / 100 * (Ext / Gold)), (entry.Buys, entry.Sells, entry.Poe));
        Assert.Equal(400 * 195 * Ext / 100, PoeState.AccountPoe(state, epoch, A[1]));
        var buyback = PoeState.ReadEntry(state, epoch, PoeState.ReadIndex(state, epoch, Modules.Markets.FeeBurn.BuybackAccount)!.Value.Position)!;
        Assert.Equal((0ul, 1ul, false, UInt128.Zero), (buyback.Buys, buyback.Sells, buyback.Registered, buyback.Reward));
        Assert.Equal((2ul, 1ul, 1ul), (PoeState.ReadMarketTallies(state, epoch).Single().Trades, PoeState.ReadMarketTallies(state, epoch).Single().TakerBuys,
            PoeState.ReadMarketTallies(state, epoch).Single().TakerSells));
    }
}
