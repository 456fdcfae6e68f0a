using System.Buffers;

namespace ExCraft.Rpc.Subscriptions;

/// <summary>
/// A growable byte buffer over pooled arrays, for writing one outgoing message at a time: a block's
/// trades message can be megabytes, and a fresh array (or string) per message was large-object
/// garbage on every order block (docs/BENCHMARKS.md e2e-orders, round 5). Not thread-safe.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>
    /// Bounded (arrays up to 8 MiB, a few per size): the shared pool would keep a large array per
    /// thread and per core. A message above 8 MiB is written into fresh arrays.
    /// </summary>
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 8 << 20, maxArraysPerBucket: 4);

    private byte[] _buffer = Pool.Rent(4096);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>A buffer larger than this goes back to the pool on <see cref="Reset"/>: one large message must not pin it for a connection's life.</summary>
    public const int KeptBuffer = 64 * 1024;

    /// <summary>Empties the buffer for the next message.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length <= KeptBuffer) return;
        Pool.Return(_buffer);
        _buffer = Pool.Rent(4096);
    }

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        Pool.Return(_buffer);
        _buffer = [];
        _written = 0;
    }

    private void Reserve(int sizeHint)
    {
        var needed = (long)_written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length) return;
        var larger = Pool.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _buffer.Length)));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        Pool.Return(_buffer);
        _buffer = larger;
    }
}
