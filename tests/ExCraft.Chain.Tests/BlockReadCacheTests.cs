using System.Collections.Concurrent;
using ExCraft.Chain.Execution;
using ExCraft.Chain.State;

namespace ExCraft.Chain.Tests;

/// <summary>
/// The block's read cache under the epoch close's parallel reads: several threads reading the
/// same committed keys through one cache at once must all see the committed values, and the
/// cache must not break (a plain dictionary here corrupted itself at 100,000 accounts).
/// </summary>
public sealed class BlockReadCacheTests
{
    private const int KeyCount = 200_000;
    private const int Workers = 4;

    /// <summary>Committed state of numbered keys; counts how often each key is fetched.</summary>
    private sealed class CountingReader : IStateReader
    {
        public readonly ConcurrentDictionary<int, int> Fetches = new();

        public byte[]? Get(byte[] key)
        {
            var n = BitConverter.ToInt32(key);
            Fetches.AddOrUpdate(n, 1, (_, c) => c + 1);
            return n % 3 == 0 ? null : BitConverter.GetBytes(n * 7L);
        }

        public IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(byte[] prefix) => [];

        public IReadOnlyList<KeyValuePair<byte[], byte[]>> IteratePrefixFrom(byte[] prefix, byte[]? startAfter, int limit) => [];
    }

    [Fact]
    public async Task Parallel_readers_through_one_cache_all_see_the_committed_values()
    {
        var committed = new CountingReader();
        var overlay = new StateOverlay(new BlockReadCache(committed));
        var wrong = 0;

        using var start = new Barrier(Workers);
        var readers = Enumerable.Range(0, Workers).Select(worker => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(); // all misses at the same moment, as the close's workers do
            for (var round = 0; round < 2; round++)
                for (var i = 0; i < KeyCount; i++)
                {
                    var n = (i * 7919 + worker * 104729 + round) % KeyCount; // each worker its own order
                    var value = overlay.Get(BitConverter.GetBytes(n));
                    var expected = n % 3 == 0 ? null : BitConverter.GetBytes(n * 7L);
                    if (!(value is null && expected is null || value is not null && expected is not null && value.AsSpan().SequenceEqual(expected)))
                        Interlocked.Increment(ref wrong);
                }
        }, TaskCreationOptions.LongRunning));
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, wrong);
        Assert.Equal(KeyCount, committed.Fetches.Count);
        // A key is fetched again only when threads miss it at the same moment, never once per read.
        Assert.True(committed.Fetches.Values.Sum() < KeyCount * 2, $"{committed.Fetches.Values.Sum()} fetches for {KeyCount} keys");
    }
}
