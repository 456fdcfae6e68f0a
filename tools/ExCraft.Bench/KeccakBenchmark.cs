using System.Diagnostics;
using ExCraft.Core.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace ExCraft.Bench;

/// <summary>
/// Keccak-256 throughput: the project's own <see cref="Keccak256"/> against BouncyCastle's
/// KeccakDigest(256), same inputs, same run, one thread. Per size the two are timed in alternating
/// short wall-clock slices (own, library, own, library, ...). Each adjacent pair gives a ratio
/// own / library; the median of those ratios is printed (above 1 means the own one is faster), so a
/// busy machine slowing one slice down moves one pair, not the result. Throughputs are the best slice.
/// </summary>
public static class KeccakBenchmark
{
    private static readonly int[] DefaultSizes = [32, 64, 136, 256, 1024, 16 * 1024];

    public static int Run(string[] args)
    {
        var rounds = 9;
        var sliceMs = 100;
        var sizes = DefaultSizes;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r > 0:
                    rounds = r; i++; break;
                case "--ms" when i + 1 < args.Length && int.TryParse(args[i + 1], out var m) && m > 0:
                    sliceMs = m; i++; break;
                case "--sizes" when i + 1 < args.Length && TryParseSizes(args[i + 1], out var s):
                    sizes = s; i++; break;
                default:
                    Console.Error.WriteLine($"keccak: bad option '{args[i]}' (expected --rounds R, --ms MS, --sizes N,N,...)");
                    return 1;
            }
        }

        Console.WriteLine($"keccak: own Keccak256 vs BouncyCastle KeccakDigest(256), one thread, {rounds} alternating pair(s) of {sliceMs} ms slices, .NET {Environment.Version}");
        var library = new KeccakDigest(256);
        var random = new Random(136);
        var ownOutput = new byte[32];
        var libraryOutput = new byte[32];
        Console.WriteLine($"{"bytes",8} {"own hashes/s",14} {"library hashes/s",17} {"own MB/s",9} {"lib MB/s",9} {"median ratio",13} {"min..max",12}");
        foreach (var size in sizes)
        {
            var data = new byte[size];
            random.NextBytes(data);

            // The two must agree before their speed means anything.
            Keccak256.Hash(data, ownOutput);
            HashWithLibrary(library, data, libraryOutput);
            if (!ownOutput.AsSpan().SequenceEqual(libraryOutput))
            {
                Console.Error.WriteLine($"keccak: the implementations disagree on {size} bytes");
                return 2;
            }

            // Warm-up (JIT tiering) of both.
            Measure(() => Keccak256.Hash(data, ownOutput), 100);
            Measure(() => HashWithLibrary(library, data, libraryOutput), 100);

            double bestOwn = 0, bestLibrary = 0;
            var ratios = new double[rounds];
            for (var round = 0; round < rounds; round++)
            {
                var own = Measure(() => Keccak256.Hash(data, ownOutput), sliceMs);
                var lib = Measure(() => HashWithLibrary(library, data, libraryOutput), sliceMs);
                ratios[round] = own / lib;
                bestOwn = Math.Max(bestOwn, own);
                bestLibrary = Math.Max(bestLibrary, lib);
            }
            Array.Sort(ratios);
            var median = ratios[rounds / 2];
            Console.WriteLine($"{size,8} {bestOwn,14:N0} {bestLibrary,17:N0} {bestOwn * size / 1e6,9:F1} {bestLibrary * size / 1e6,9:F1} " +
                              $"{median,12:F2}x {ratios[0],5:F2}..{ratios[^1]:F2}");
        }
        return 0;
    }

    /// <summary>The library's fastest use: one digest reused (DoFinal resets it), span overloads, no allocation.</summary>
    private static void HashWithLibrary(KeccakDigest digest, ReadOnlySpan<byte> data, Span<byte> output)
    {
        digest.BlockUpdate(data);
        digest.DoFinal(output);
    }

    /// <summary>Calls per second over about <paramref name="milliseconds"/>, checking the clock every 64 calls.</summary>
    private static double Measure(Action hash, int milliseconds)
    {
        var limit = TimeSpan.FromMilliseconds(milliseconds);
        long calls = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < limit)
        {
            for (var i = 0; i < 64; i++) hash();
            calls += 64;
        }
        return calls / sw.Elapsed.TotalSeconds;
    }

    private static bool TryParseSizes(string text, out int[] sizes)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out sizes[i]) || sizes[i] < 0 || sizes[i] > 1 << 24) return false;
        }
        return parts.Length > 0;
    }
}
