using System.Buffers.Binary;

namespace ExCraft.Storage.Tests;

public sealed class ConcurrencyTests : StoreTestBase
{
    private const int KeyCount = 200;

    private static byte[] Key(int i)
    {
        var key = new byte[5];
        key[0] = 0x42;
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(1), i);
        return key;
    }

    private static byte[] Value(int version, int i)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(value, version);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(4), i);
        return value;
    }

    [Fact]
    public async Task ConcurrentReaders_WhileWritingAtomicBatches_SeeConsistentState()
    {
        RocksDbStore store = OpenStore();
        using (var initial = new WriteBatch())
        {
            for (int i = 0; i < KeyCount; i++)
            {
                initial.Put(Key(i), Value(0, i));
            }

            store.Write(initial, sync: false);
        }

        const int Versions = 150;
        using var done = new CancellationTokenSource();
        int lastCommitted = 0;

        Task writer = Task.Run(() =>
        {
            try
            {
                using var batch = new WriteBatch();
                for (int v = 1; v <= Versions; v++)
                {
                    batch.Clear();
                    for (int i = 0; i < KeyCount; i++)
                    {
                        batch.Put(Key(i), Value(v, i));
                    }

                    store.Write(batch, sync: v % 25 == 0);
                    Volatile.Write(ref lastCommitted, v);
                }
            }
            finally
            {
                done.Cancel();
            }
        });

        long[] reads = new long[4];
        Task[] readers = Enumerable.Range(0, reads.Length).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            do
            {
                // point reads: always present, well-formed, never older than what was committed before the read
                int floor = Volatile.Read(ref lastCommitted);
                int i = random.Next(KeyCount);
                byte[]? value = store.Get(Key(i));
                Assert.NotNull(value);
                Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(4)));
                Assert.True(BinaryPrimitives.ReadInt32BigEndian(value) >= floor);

                // a snapshot must show exactly one batch: every key at the same version
                using (IStoreSnapshot snapshot = store.GetSnapshot())
                {
                    var entries = snapshot.IteratePrefix(B(0x42)).ToList();
                    Assert.Equal(KeyCount, entries.Count);
                    int version = BinaryPrimitives.ReadInt32BigEndian(entries[0].Value);
                    for (int k = 0; k < entries.Count; k++)
                    {
                        Assert.Equal(Key(k), entries[k].Key);
                        Assert.Equal(Value(version, k), entries[k].Value);
                    }

                    Assert.Equal(Value(version, i), snapshot.Get(Key(i)));
                }

                // plain iteration: ordered and complete (versions may differ between keys)
                Assert.Equal(KeyCount, store.IterateFrom(Key(0), B(0x42)).Count());
                Interlocked.Increment(ref reads[r]);
            }
            while (!done.IsCancellationRequested);
        })).ToArray();

        await Task.WhenAll(readers.Append(writer)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(Versions, lastCommitted);
        Assert.All(reads, count => Assert.True(count > 0));
        for (int i = 0; i < KeyCount; i++)
        {
            Assert.Equal(Value(Versions, i), store.Get(Key(i)));
        }
    }

    [Fact]
    public async Task ConcurrentDispose_WhileReading_NeverCrashes()
    {
        RocksDbStore store = OpenStore();
        for (int i = 0; i < KeyCount; i++)
        {
            store.Put(Key(i), Value(1, i));
        }

        using var start = new ManualResetEventSlim();
        int successfulReads = 0;
        Task[] readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.Wait();
            try
            {
                while (true)
                {
                    Assert.Equal(KeyCount, store.IteratePrefix(B(0x42)).Count());
                    Assert.Equal(Value(1, 7), store.Get(Key(7)));
                    Interlocked.Increment(ref successfulReads);
                }
            }
            catch (ObjectDisposedException)
            {
                // expected once the store is disposed
            }
        })).ToArray();

        start.Set();
        SpinWait.SpinUntil(() => Volatile.Read(ref successfulReads) >= 20, TimeSpan.FromSeconds(30));
        store.Dispose();
        store.Dispose();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(successfulReads >= 20);
        using RocksDbStore reopened = RocksDbStore.Open(DbPath, TestOptions);
        Assert.Equal(Value(1, 7), reopened.Get(Key(7)));
    }
}
