using System.Diagnostics;
using ExCraft.Core;
using ExCraft.Core.Crypto;

namespace ExCraft.Bench;

/// <summary>
/// Signer recovery throughput: (a) Secp256k1Recovery.TryRecoverAddress in a loop on one thread,
/// (b) ParallelSignatureRecovery.RecoverAddresses over the same items, after a warm-up of both.
/// </summary>
public static class SignatureBenchmark
{
    public static int Run(string[] args)
    {
        var count = 20_000;
        int? threads = null;
        var rounds = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    count = n; i++; break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t > 0:
                    threads = t; i++; break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r > 0:
                    rounds = r; i++; break;
                default:
                    Console.Error.WriteLine($"sigs: bad option '{args[i]}' (expected --count N, --threads T, --rounds R)");
                    return 1;
            }
        }

        var parallel = new ParallelSignatureRecovery(threads);
        Console.WriteLine($"sigs: {count:N0} signed hashes, {parallel.DegreeOfParallelism} worker(s), " +
                          $"{Environment.ProcessorCount} logical CPU(s), {rounds} timed round(s), .NET {Environment.Version}");
        // Before/after comparisons need to know which native build ran (bundled package copy or a system library).
        Console.WriteLine($"libsecp256k1: {Secp256k1NativeLibrary.LoadedPath() ?? "(path not available on this OS)"}");

        var setup = Stopwatch.StartNew();
        var (items, signers) = Generate(count);
        Console.WriteLine($"generated and signed in {setup.Elapsed.TotalSeconds:F2} s");

        // Warm-up: JIT, native library load, caches.
        var warm = items.Take(Math.Min(count, 2_000)).ToArray();
        Sequential(warm);
        parallel.RecoverAddresses(warm);

        var bestSequential = double.MaxValue;
        var bestParallel = double.MaxValue;
        for (var round = 1; round <= rounds; round++)
        {
            var sw = Stopwatch.StartNew();
            var sequentialResult = Sequential(items);
            var sequentialSeconds = sw.Elapsed.TotalSeconds;

            sw.Restart();
            var parallelResult = parallel.RecoverAddresses(items);
            var parallelSeconds = sw.Elapsed.TotalSeconds;

            for (var i = 0; i < count; i++)
            {
                if (sequentialResult[i] != signers[i] || parallelResult[i] != signers[i])
                {
                    Console.Error.WriteLine($"sigs: wrong signer for item {i}");
                    return 2;
                }
            }
            Console.WriteLine($"round {round}: single-thread {count / sequentialSeconds,10:N0} recoveries/s ({sequentialSeconds * 1000:F0} ms)   " +
                              $"parallel {count / parallelSeconds,10:N0} recoveries/s ({parallelSeconds * 1000:F0} ms)   " +
                              $"speedup {sequentialSeconds / parallelSeconds:F2}x");
            bestSequential = Math.Min(bestSequential, sequentialSeconds);
            bestParallel = Math.Min(bestParallel, parallelSeconds);
        }

        Console.WriteLine();
        Console.WriteLine($"single-thread TryRecoverAddress : {count / bestSequential,10:N0} recoveries/s  ({bestSequential * 1e6 / count:F1} us each)");
        Console.WriteLine($"ParallelSignatureRecovery       : {count / bestParallel,10:N0} recoveries/s");
        Console.WriteLine($"speedup                         : {bestSequential / bestParallel:F2}x (best of {rounds})");
        return 0;
    }

    private static Address[] Sequential(IReadOnlyList<SignedHash> items)
    {
        var result = new Address[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!Secp256k1Recovery.TryRecoverAddress(item.Hash, item.Signature, out result[i], out var error))
                throw new InvalidOperationException($"item {i}: {error}");
        }
        return result;
    }

    private static (SignedHash[] Items, Address[] Signers) Generate(int count)
    {
        var keys = Enumerable.Range(0, 256).Select(_ => PrivateKey.Generate()).ToArray();
        var items = new SignedHash[count];
        var signers = new Address[count];
        var random = new Random(20_000);
        for (var i = 0; i < count; i++)
        {
            var key = keys[i % keys.Length];
            var hash = new byte[32];
            random.NextBytes(hash);
            items[i] = new SignedHash(hash, key.Sign(hash));
            signers[i] = key.Address;
        }
        return (items, signers);
    }
}
