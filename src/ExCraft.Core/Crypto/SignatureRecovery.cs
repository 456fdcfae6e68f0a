namespace ExCraft.Core.Crypto;

/// <summary>A 32-byte hash and the signature over it, as input to batch recovery.</summary>
public readonly record struct SignedHash(byte[] Hash, Signature Signature);

/// <summary>
/// Recovers the signers of many signatures at once, spread over the machine's cores.
/// <para>
/// The list is cut into contiguous blocks. Each worker (one per degree of parallelism, the caller
/// thread being one of them) repeatedly claims the next block with one interlocked add and
/// recovers it straight into the result array, so workers never touch each other's items. Blocks
/// are several times smaller than an even share (about 8 blocks per worker), so a worker that is
/// descheduled on a busy machine does not hold the whole batch back. Per item there is no heap
/// allocation on our side: the recoverable signature, the recovered key and its 65-byte
/// serialization all live on the worker's stack; the address is then
/// <see cref="Address.FromUncompressedPublicKey"/>.
/// </para>
/// <para>Batches below <see cref="InlineThreshold"/> items run on the calling thread. Thread-safe.</para>
/// </summary>
public sealed class ParallelSignatureRecovery
{
    /// <summary>Batches smaller than this are recovered on the calling thread.</summary>
    public const int InlineThreshold = 64;

    private const int MinBlock = 32;
    private const int BlocksPerWorker = 8;

    private readonly int _degreeOfParallelism;

    public ParallelSignatureRecovery(int? degreeOfParallelism = null)
    {
        var dop = degreeOfParallelism ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(dop, 1, nameof(degreeOfParallelism));
        _degreeOfParallelism = dop;
    }

    public int DegreeOfParallelism => _degreeOfParallelism;

    /// <summary>
    /// result[i] is the address that signed items[i].Hash, or null when items[i] has no acceptable
    /// signature (high-S, r or s out of range, hash not 32 bytes, no recoverable key).
    /// </summary>
    public Address?[] RecoverAddresses(IReadOnlyList<SignedHash> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var count = items.Count;
        var results = new Address?[count];
        if (count == 0) return results;

        var workers = Math.Min(_degreeOfParallelism, (count + MinBlock - 1) / MinBlock);
        if (count < InlineThreshold || workers <= 1)
        {
            RecoverRange(items, results, 0, count);
            return results;
        }

        var block = Math.Max(MinBlock, count / (workers * BlocksPerWorker));
        var next = 0; // start of the next unclaimed block
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            while (true)
            {
                var end = Interlocked.Add(ref next, block);
                var start = end - block;
                if (start >= count) return;
                RecoverRange(items, results, start, Math.Min(end, count));
            }
        });
        return results;
    }

    private static void RecoverRange(IReadOnlyList<SignedHash> items, Address?[] results, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            var item = items[i];
            if (item.Hash is null) continue;
            var signature = item.Signature;
            if (Secp256k1Recovery.TryRecoverAddressCore(item.Hash, signature.Span, out var address) == Secp256k1Recovery.Status.Ok)
                results[i] = address;
        }
    }
}
