using System.Diagnostics;
using System.Globalization;
using ExCraft.Chain;
using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Kyc;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Chain.State;
using ExCraft.Chain.Store;
using ExCraft.Core;
using ExCraft.Core.Blocks;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;
using ExCraft.Node;
using ExCraft.Storage;

namespace ExCraft.Bench;

/// <summary>
/// Issue 9's epoch-end bar: the extra execution time of the epoch-end block and of each block the
/// spread close of an epoch with many trading accounts, trades and pools takes (docs/poe.md), against
/// an ordinary block of the same run, through the real
/// block executor and modules (dev genesis, ORE/EXT market, RocksDB store in a temp directory).
/// Set-up writes the epoch's state directly through the modules' own state classes instead of
/// sending signed trades: each account's PoE tally (buys, sells, ORE quantity, EXT fees summed from
/// the generated trades), the ORE/EXT market tally, registration, KYC attestations, pools and their
/// memberships. That is the state the PoE module's end-block leaves after those trades; the trade
/// records themselves are not stored (the epoch end never reads them). Both timed blocks carry the
/// same signed transfers and run over the same committed state; the close blocks after them run on
/// top of each other in memory (fresh nonces each); nothing is committed to the store.
/// </summary>
public static class EpochEndBenchmark
{
    public static int Run(string[] args)
    {
        int accounts = 100_000, trades = 1_000_000, pools = 1_000, transfers = 1_000, rounds = 2, chunk = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                Console.Error.WriteLine($"epoch-end: {args[i]} needs a positive integer, got '{args[i + 1]}'");
                return 1;
            }
            switch (args[i])
            {
                case "--accounts": accounts = value; break;
                case "--trades": trades = value; break;
                case "--pools": pools = value; break;
                case "--transfers": transfers = value; break;
                case "--rounds": rounds = value; break;
                case "--chunk": chunk = value; break; // the genesis "poe" close_chunk_accounts (default: the dev genesis')
                default: Console.Error.WriteLine($"epoch-end: unknown option {args[i]}"); return 1;
            }
        }
        if (args.Length % 2 != 0 || pools > accounts)
        {
            Console.Error.WriteLine("epoch-end: options come in pairs, and --pools may not exceed --accounts (every pool has a master among them)");
            return 1;
        }
        var directory = Path.Combine(Path.GetTempPath(), "excraft-bench-epoch-" + Guid.NewGuid().ToString("N"));
        try
        {
            return Measure(directory, accounts, trades, pools, transfers, rounds, chunk);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    private static int Measure(string directory, int accountCount, int tradeCount, int poolCount, int transferCount, int rounds, int chunk)
    {
        Console.WriteLine($"epoch-end: {accountCount:N0} trading accounts, {tradeCount:N0} trades, {poolCount:N0} pools, {transferCount:N0} transfers per block, " +
                          $"{rounds} round(s), {Environment.ProcessorCount} CPU(s)");
        var genesis = DevGenesis.Load();
        if (chunk > 0) genesis = genesis with { Poe = genesis.Poe with { CloseChunkAccounts = (ulong)chunk } };
        var executor = new TransactionExecutor(genesis, ModuleRegistry.Standard(genesis));
        using var store = RocksDbStore.Open(directory, ChainKeys.StoreOptions());
        var chain = Blockchain.Open(store, genesis, executor.Modules);

        var setup = Stopwatch.StartNew();
        var traders = Enumerable.Range(0, accountCount).Select(Trader).ToArray();
        WriteDirectly(store, BuildEpoch(chain.State, traders, tradeCount, poolCount));
        Console.WriteLine($"set-up written in {setup.Elapsed.TotalSeconds:F1} s");

        var (epoch, startMs) = EpochClock.Read(chain.State);
        var blocks = new BlockExecutor(executor);
        var perKey = (transferCount + DevKeys.AccountCount - 1) / DevKeys.AccountCount;
        var txs = SignTransfers(genesis.ChainId, traders, transferCount, 0);
        var proposer = genesis.Validators[0].Address;
        var interval = genesis.Parameters.BlockIntervalMs;
        BlockContext At(ulong height, ulong timeMs) => new(height, timeMs, proposer, Commit.Empty);
        var ordinaryAt = At(chain.Head.Height + 1, startMs + genesis.Staking.EpochLengthMs / 2);
        var endingAt = At(chain.Head.Height + 1, startMs + genesis.Staking.EpochLengthMs);

        var warm = blocks.Execute(chain.State, ordinaryAt, txs, skipRejected: false); // JIT and caches
        if (warm.Included.Count != transferCount || warm.Receipts.Any(r => !r.Success)) throw new InvalidOperationException("a transfer of the ordinary block failed");
        var ordinary = new List<double>();
        var ending = new List<double>();
        var endingCpu = new List<double>();
        BlockExecution? ended = null;
        for (var r = 0; r < rounds; r++)
        {
            ordinary.Add(Time(() => blocks.Execute(chain.State, ordinaryAt, txs, skipRejected: false)).Ms);
            var (ms, cpuMs, execution) = Time(() => blocks.Execute(chain.State, endingAt, txs, skipRejected: false));
            ending.Add(ms);
            endingCpu.Add(cpuMs);
            ended = execution;
        }
        if (ended!.Receipts.Any(x => !x.Success)) throw new InvalidOperationException("a transfer of the epoch-end block failed");
        var o = Median(ordinary);
        var e = Median(ending);
        Console.WriteLine($"ordinary block:  {o,9:F1} ms (median of {rounds}: {string.Join(", ", ordinary.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"epoch-end block: {e,9:F1} ms (median of {rounds}: {string.Join(", ", ending.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))}); " +
                          $"CPU {Median(endingCpu):F1} ms median (the close starts in the next block)");

        // The close spread over the next blocks (docs/poe.md): each block carries the same number of transfers (fresh nonces) and is
        // kept in memory on top of the previous ones, as if committed, until the epoch's report is finished and paid.
        var chained = new StateOverlay(chain.State);
        ended.Changes.MergeInto(chained);
        var spread = new List<(double Ms, double CpuMs, ulong Done, string Stage)>();
        PoeReportSummary? summary = null;
        BlockExecution? last = null;
        for (var k = 1; EmissionState.ReadTotals(chained).EpochsSettled <= epoch; k++)
        {
            if (k > 10_000) throw new InvalidOperationException("the close did not finish in 10,000 blocks");
            var blockTxs = SignTransfers(genesis.ChainId, traders, transferCount, k * perKey);
            var sections = new SortedDictionary<string, double>(StringComparer.Ordinal);
            CloseSections.SetSink((name, sectionMs) => sections[name] = sections.GetValueOrDefault(name) + sectionMs);
            var gen2Before = GC.CollectionCount(2);
            var (ms, cpuMs, execution) = Time(() => blocks.Execute(chained, At(endingAt.Height + (ulong)k, endingAt.TimeMs + (ulong)k * interval), blockTxs, skipRejected: false));
            CloseSections.SetSink(null);
            if (execution.Receipts.Any(x => !x.Success)) throw new InvalidOperationException($"a transfer of close block {k} failed");
            execution.Changes.MergeInto(chained);
            summary = PoeState.ReadSummary(chained, epoch);
            spread.Add((ms, cpuMs, PoeState.ReadCloseProgress(chained)?.AccountsDone ?? (ulong)accountCount,
                Stage(chained, epoch) + $"; gen2 GCs {GC.CollectionCount(2) - gen2Before}; sections: " + string.Join(", ", sections.Select(s => $"{s.Key} {s.Value.ToString("F0", CultureInfo.InvariantCulture)}"))));
            last = execution;
        }
        summary ??= PoeState.ReadSummary(chained, epoch) ?? throw new InvalidOperationException("settled without a PoE report");
        var eligible = PoolsState.ReadStatsOf(chained, epoch).Count(x => x.Eligible);
        Console.WriteLine($"PoE report of epoch {epoch}: {summary.Entries:N0} entries, root {Hex.Encode(summary.Root)}, paid {summary.Paid}, rewarded {summary.RewardedAccounts:N0}; " +
                          $"{eligible} eligible pools; settled: {EmissionState.ReadTotals(chained).EpochsSettled > epoch}; close budget {genesis.Poe.CloseChunkAccounts:N0} account-steps per block (PoE and pools)");
        Console.WriteLine($"close spread over {spread.Count} block(s) after the epoch end:");
        for (var k = 0; k < spread.Count; k++)
            Console.WriteLine($"  close block {k + 1}: {spread[k].Ms,9:F1} ms wall, {spread[k].CpuMs,9:F1} ms CPU, extra {spread[k].Ms - o,9:F1} ms; PoE accounts done {spread[k].Done:N0}; " +
                              $"after it: {spread[k].Stage}");
        Console.WriteLine($"close blocks' extra over the ordinary block: max {spread.Max(x => x.Ms) - o:F1} ms, sum {spread.Sum(x => x.Ms - o):F1} ms; " +
                          $"CPU max {spread.Max(x => x.CpuMs):F1} ms, sum {spread.Sum(x => x.CpuMs):F1} ms; dev block interval {interval} ms; load average now {LoadAverage()}");
        Console.WriteLine($"last close block: {last!.Changes.Writes.Count:N0} state writes");
        return 0;
    }

    /// <summary>Where the close stands after a block: PoE, pools (phase and cursor), settled.</summary>
    private static string Stage(IStateReader state, ulong epoch)
    {
        if (EmissionState.ReadTotals(state).EpochsSettled > epoch) return "settled";
        if (PoeState.ReadSummary(state, epoch) is null) return "PoE closing";
        return PoolsState.ReadCloseProgress(state) is { } p
            ? $"pools {(p.Phase == PoolClosePhase.Tallying ? "tallying" : "paying")}, {PoolsState.ReadStatsOf(state, epoch).Count(x => x.Eligible)} eligible"
            : "pools not started";
    }

    private static Address Trader(int i) => new(Keccak256.Hash(BitConverter.GetBytes(i))[..Address.Length]);

    /// <summary>
    /// The closing epoch's state as the modules would hold it. Trades are generated with a fixed
    /// seed: a buyer and a seller among the traders, 1-100 ORE at 1 EXT, the taker paying 0.2% and
    /// the maker 0.1% in EXT. Nine traders in ten are registered and verified; every trader is a
    /// member of one pool (round robin) counting from epoch 0; pool masters are the first traders.
    /// </summary>
    private static StateOverlay BuildEpoch(IStateReader committed, Address[] traders, int tradeCount, int poolCount)
    {
        var state = new StateOverlay(committed);
        var epoch = EpochClock.Read(state).Epoch;
        var n = traders.Length;
        var buys = new ulong[n];
        var sells = new ulong[n];
        var quantity = new UInt128[n];
        var fees = new UInt128[n];
        var random = new Random(9);
        var market = MarketTally.Empty("ORE", AssetSymbol.Native);
        var price = Amount.FromWhole(1);
        for (var t = 0; t < tradeCount; t++)
        {
            var buyer = random.Next(n);
            var seller = (buyer + 1 + random.Next(n - 1)) % n; // never a self-trade
            var ore = (UInt128)(ulong)random.Next(1, 101) * 1_000_000;
            var quote = Amount.FromWhole((ulong)(ore / 1_000_000));
            var takerBuys = random.Next(2) == 0;
            buys[buyer]++;
            sells[seller]++;
            quantity[buyer] += ore;
            quantity[seller] += ore;
            fees[takerBuys ? buyer : seller] += quote / 500;
            fees[takerBuys ? seller : buyer] += quote / 1_000;
            market = market.WithTrade(takerBuys, ore, quote, price, (ulong)t + 1);
        }
        PoeState.WriteMarketTally(state, epoch, market);
        PoeState.WriteSequence(state, (ulong)tradeCount);

        var accounts = new AccountState(state);
        var authority = KycState.ReadAuthorities(state)[0];
        var membersPerPool = new ulong[poolCount + 1];
        for (var i = 0; i < n; i++)
        {
            var a = traders[i];
            if (buys[i] + sells[i] > 0)
            {
                var tally = AccountTally.Empty();
                tally.Quantities["ORE"] = quantity[i];
                if (fees[i] > 0) tally.Fees[AssetSymbol.Native] = fees[i];
                PoeState.WriteAccountTally(state, epoch, a, tally with { Buys = buys[i], Sells = sells[i] });
            }
            if (i % 10 != 9)
            {
                accounts.SetRegistered(a);
                KycState.WriteAttestation(state, new KycAttestation(a, ulong.MaxValue, authority, 0));
            }
            var pool = (ulong)(i % poolCount) + 1;
            state.Set(PoolsKeys.Membership(a), new PoolMembership(a, pool, 0, 0).Encode());
            state.Set(PoolsKeys.MemberIndex(pool, a), []);
            membersPerPool[pool]++;
        }
        // Pool stakes are left at 0 so no EXT has to be moved into the module for them; the epoch end does not read the stake.
        for (var id = 1UL; id <= (ulong)poolCount; id++)
        {
            var name = "pool" + id.ToString(CultureInfo.InvariantCulture);
            PoolsState.WritePool(state, new PoolRecord(id, name, traders[id - 1], 100_000, 100_000, 0, 0, 0, 0, membersPerPool[id], false, 0, false));
            PoolsState.WriteName(state, name, id);
        }
        for (var id = 0UL; id < (ulong)poolCount; id++) PoolsState.TakeNextId(state);
        return state;
    }

    private static void WriteDirectly(IKeyValueStore store, StateOverlay changes)
    {
        using var batch = new WriteBatch();
        foreach (var (key, value) in changes.Writes)
        {
            if (value is null) batch.Delete(ChainKeys.StateKey(key));
            else batch.Put(ChainKeys.StateKey(key), value);
        }
        store.Write(batch, sync: true);
    }

    /// <summary>One transfer of 1 base unit from each of the first dev accounts in turn to a trader, nonces from <paramref name="firstNonce"/>.</summary>
    private static List<(Transaction Tx, Address Sender)> SignTransfers(ulong chainId, Address[] traders, int count, int firstNonce) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var key = DevKeys.Account(i % DevKeys.AccountCount);
            var tx = Transaction.Create(chainId, (ulong)(firstNonce + i / DevKeys.AccountCount), LoadGenerator.Fee, new TransferPayload(traders[i % traders.Length], AssetSymbol.Native, 1), key);
            return (tx, key.Address);
        }).ToList();

    /// <summary>Wall time and the process's CPU time (what the run cost whatever else the shared machine was doing).</summary>
    private static (double Ms, double CpuMs, T Result) Time<T>(Func<T> run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = run();
        var wall = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds, result);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
