using System.Diagnostics;
using System.Globalization;
using ExCraft.Chain.Mempool;
using ExCraft.Chain.Production;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;
using ExCraft.Node;
using ExCraft.Rpc.MarketData;

namespace ExCraft.Bench;

/// <summary>
/// The e2e-orders load without HTTP, in one process: the dev chain on RocksDB with the market-data
/// index attached as the node attaches it, the same pre-signed transfers and then orders (half the
/// accounts sell, half buy 1 ORE at 1 EXT), each phase admitted through the ingress (signature
/// recovery, mempool) and then produced and committed in blocks as large as the dev chain allows. Reported per
/// 1,000 transactions: ingress and block-path CPU and wall time, and bytes allocated; the
/// orders / transfers ratios are what the e2e bar compares, measured here with little noise
/// because nothing else shares the process.
/// </summary>
public static class BlockPathBenchmark
{
    public static int Run(string[] args)
    {
        int accounts = 100, perAccount = 400, rounds = 3;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                Console.Error.WriteLine($"block-path: {args[i]} needs a positive integer, got '{args[i + 1]}'");
                return 1;
            }
            switch (args[i])
            {
                case "--accounts": accounts = value; break;
                case "--per-account": perAccount = value; break;
                case "--rounds": rounds = value; break;
                default: Console.Error.WriteLine($"block-path: unknown option {args[i]}"); return 1;
            }
        }
        if (accounts % 2 != 0)
        {
            Console.Error.WriteLine("block-path: --accounts must be even (half sell, half buy)");
            return 1;
        }
        Console.WriteLine($"block-path: {accounts * perAccount:N0} transfers, then as many orders on ORE/EXT, {accounts} accounts, blocks as the dev chain allows, " +
                          $"{rounds} round(s) on a fresh chain each, {Environment.ProcessorCount} CPU(s)");
        var ratios = new List<(double Ingress, double Block, double Allocated)>();
        for (var round = 1; round <= rounds; round++)
        {
            var (transfers, orders) = RunRound(accounts, perAccount);
            Console.WriteLine($"round {round}: transfers {transfers}");
            Console.WriteLine($"round {round}: orders    {orders}");
            ratios.Add((orders.IngressCpuMs / transfers.IngressCpuMs, orders.BlockCpuMs / transfers.BlockCpuMs, orders.AllocatedMb / transfers.AllocatedMb));
        }
        var median = ratios.OrderBy(r => r.Block).ElementAt(ratios.Count / 2);
        Console.WriteLine($"orders / transfers cost per transaction (median round by block path): ingress CPU {median.Ingress:F2}x, block path CPU {median.Block:F2}x, allocated {median.Allocated:F2}x");
        return 0;
    }

    /// <summary>Per 1,000 transactions of one phase.</summary>
    private sealed record PhaseCost(double IngressCpuMs, double IngressWallMs, double BlockCpuMs, double BlockWallMs, double AllocatedMb, int Blocks, string Collections)
    {
        public override string ToString() =>
            $"per 1,000: ingress CPU {IngressCpuMs:F1} ms (wall {IngressWallMs:F1}), block path CPU {BlockCpuMs:F1} ms (wall {BlockWallMs:F1}, {Blocks} blocks), allocated {AllocatedMb:F1} MB; {Collections}";
    }

    private static (PhaseCost Transfers, PhaseCost Orders) RunRound(int accountCount, int perAccount)
    {
        var directory = Path.Combine(Path.GetTempPath(), "excraft-blockpath-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var devChain = InProcessDevChain.Open(directory);
            var (genesis, chain, mempool, ingress, producer) = (devChain.Genesis, devChain.Chain, devChain.Mempool, devChain.Ingress, devChain.Producer);
            MarketDataIndex.Open(chain);
            var time = chain.Head.TimeMs;

            // Set-up (not measured): EXT to every account, ORE to the sellers.
            var senders = LoadGenerator.Senders(accountCount);
            var devNonces = new ulong[DevKeys.AccountCount];
            var funding = new List<Transaction>();
            for (var i = 0; i < senders.Length; i++)
            {
                var dev = i % DevKeys.AccountCount;
                funding.Add(Transaction.Create(genesis.ChainId, devNonces[dev]++, LoadGenerator.Fee,
                    new TransferPayload(senders[i].Address, AssetSymbol.Native, Amount.FromWhole(1_000)), DevKeys.Account(dev)));
                var oreHolder = i / 2 % 4; // dev accounts 0 to 3 hold ORE in genesis
                if (i % 2 == 0)
                    funding.Add(Transaction.Create(genesis.ChainId, devNonces[oreHolder]++, LoadGenerator.Fee,
                        new TransferPayload(senders[i].Address, "ORE", OrderEndToEndBenchmark.Size * (UInt128)perAccount * 2), DevKeys.Account(oreHolder)));
            }
            Admit(ingress, funding);
            Produce(producer, mempool, ref time);

            var transfers = LoadGenerator.SignTransfers(genesis.ChainId, senders, perAccount);
            var orders = OrderEndToEndBenchmark.SignOrders(senders, perAccount, firstNonce: (ulong)perAccount);
            var transferCost = Measure(ingress, producer, mempool, InNonceOrder(transfers), ref time);
            var orderCost = Measure(ingress, producer, mempool, InNonceOrder(orders), ref time);
            var book = MarketDataIndex.ReadOrders(chain.State, "ORE", "EXT").Count();
            if (book != 0) throw new InvalidOperationException($"{book} orders left in the book: every order should have filled");
            return (transferCost, orderCost);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static List<Transaction> InNonceOrder(Transaction[,] transactions)
    {
        var list = new List<Transaction>(transactions.Length);
        for (var n = 0; n < transactions.GetLength(1); n++)
            for (var a = 0; a < transactions.GetLength(0); a++) list.Add(transactions[a, n]);
        return list;
    }

    private static PhaseCost Measure(TransactionIngress ingress, BlockProducer producer, TransactionPool mempool, List<Transaction> transactions, ref ulong time)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var collectionsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var pauseBefore = GC.GetTotalPauseDuration();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Admit(ingress, transactions);
        var ingressWall = wall.Elapsed;
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        wall.Restart();
        var blocks = Produce(producer, mempool, ref time);
        var blockWall = wall.Elapsed;
        process.Refresh();
        var cpu2 = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = $"GC gen0/1/2 {string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]))}, pause {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:F0} ms in the phase";
        double Per1000(double value) => value * 1_000 / transactions.Count;
        return new PhaseCost(Per1000((cpu1 - cpu0).TotalMilliseconds), Per1000(ingressWall.TotalMilliseconds), Per1000((cpu2 - cpu1).TotalMilliseconds),
            Per1000(blockWall.TotalMilliseconds), Per1000(allocated / 1e6), blocks, collections);
    }

    /// <summary>Submits in batches of 500, as the e2e client does; every transaction must be admitted.</summary>
    private static void Admit(TransactionIngress ingress, List<Transaction> transactions)
    {
        foreach (var batch in transactions.Chunk(500))
        {
            var results = ingress.SubmitBatch(batch.Select(t => t.Encoded).ToList());
            if (results.FirstOrDefault(r => r.Reason is not null) is { } refused) throw new InvalidOperationException($"refused: {refused.Error}");
        }
    }

    private static int Produce(BlockProducer producer, TransactionPool mempool, ref ulong time)
    {
        var blocks = 0;
        while (mempool.Count > 0)
        {
            var (block, _) = producer.ProduceBlock(time += 250);
            if (block.Transactions.Count == 0) throw new InvalidOperationException("a block took nothing from a non-empty mempool");
            blocks++;
        }
        return blocks;
    }
}
