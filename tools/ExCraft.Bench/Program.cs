namespace ExCraft.Bench;

/// <summary>
/// Benchmarks, one subcommand each: dotnet run -c Release --project tools/ExCraft.Bench -- &lt;name&gt; [options].
/// To add one, write a class with a static Run(string[] args) returning an exit code and list it below.
/// </summary>
public static class Program
{
    private static readonly (string Name, string Usage, Func<string[], int> Run)[] Benchmarks =
    [
        ("sigs", "sigs [--count N] [--threads T]   secp256k1 recovery: single thread vs ParallelSignatureRecovery", SignatureBenchmark.Run),
        ("keccak", "keccak [--rounds R] [--ms MS] [--sizes N,N,...]   own Keccak256 vs BouncyCastle KeccakDigest, ratio in the same run", KeccakBenchmark.Run),
        ("e2e", "e2e [--accounts N] [--per-account N] [--batch N] [--connections N] [--block-interval-ms N]   signed transfers/s through the dev node", EndToEndBenchmark.Run),
        ("e2e-orders", "e2e-orders [--accounts N] [--per-account N] [--batch N] [--connections N] [--block-interval-ms N]   signed ORE/EXT orders/s to committed fills vs transfers/s in the same run, market_depth p50/p99 and newHeads lag under that load", OrderEndToEndBenchmark.Run),
        ("block-path", "block-path [--accounts N] [--per-account N] [--rounds R]   the e2e-orders load in one process without HTTP: ingress and block-path CPU and allocation per 1,000 orders vs transfers", BlockPathBenchmark.Run),
        ("matching", "matching [--orders N] [--rounds R] [--ms MS]   order-book matching engine on a 100,000-order book vs a SortedSet baseline, one thread", MatchingBenchmark.Run),
        ("epoch-end", "epoch-end [--accounts N] [--trades N] [--pools N] [--transfers N] [--rounds R]   the epoch-end block vs an ordinary block through the block executor, with that many traders, trades and pools", EpochEndBenchmark.Run),
        ("testnet", "testnet [--validators N] [--rate TX_PER_S] [--seconds S] [--accounts N] [--block-interval-ms N]   block interval, finality p50/p99 and tx/s of a local BFT testnet", TestnetBenchmark.Run),
    ];

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? 1 : 0;
        }
        foreach (var benchmark in Benchmarks)
        {
            if (benchmark.Name == args[0]) return benchmark.Run(args[1..]);
        }
        Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
        PrintUsage(Console.Error);
        return 1;
    }

    private static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: dotnet run -c Release --project tools/ExCraft.Bench -- <benchmark> [options]");
        foreach (var benchmark in Benchmarks) writer.WriteLine($"  {benchmark.Usage}");
    }
}
