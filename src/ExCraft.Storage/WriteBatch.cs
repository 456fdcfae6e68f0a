using System.Buffers.Binary;
using RocksDbSharp;

namespace ExCraft.Storage;

/// <summary>
/// A group of puts and deletes applied atomically by <see cref="IKeyValueStore.Write"/>. Keys and values are
/// copied into the batch immediately. The batch is kept in managed memory because it is built before it meets
/// a store, and only the store knows which column family each key belongs to; <see cref="RocksDbStore.Write"/>
/// turns it into one native write batch, which RocksDB applies atomically across column families.
/// Records are packed into pooled segments of <see cref="SegmentSize"/> bytes, a record larger than that
/// into a pooled array of its own: a block's batch (tens of megabytes for 10,000 orders) once grew one array by
/// doubling, and that large-object churn forced a full garbage collection every block or two
/// (docs/BENCHMARKS.md, block-path). A batch is not thread-safe; it can be reused after <see cref="Clear"/>
/// or after being written.
/// </summary>
public sealed class WriteBatch : IDisposable
{
    private const byte PutRecord = 1;
    private const byte DeleteRecord = 2;

    /// <summary>Below the runtime's large-object threshold (85,000 bytes), so segments are ordinary pooled arrays.</summary>
    public const int SegmentSize = 64 * 1024;

    /// <summary>Record header: kind (1 byte), key length, value length (4 bytes each, little-endian).</summary>
    private const int HeaderLength = 9;

    /// <summary>Filled segments in order, each with the bytes used; all of them go back to the pool.</summary>
    private readonly List<(byte[] Buffer, int Length)> _sealed = [];
    private byte[]? _current;
    private int _used;
    private int _count;
    private bool _disposed;

    /// <summary>Number of operations recorded in the batch.</summary>
    public int Count
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _count;
        }
    }

    /// <summary>
    /// Arrays for records larger than a segment (a block, its events: megabytes each block). A pool
    /// of the batch's own, not the shared one: the shared pool keeps arrays per thread and lets them
    /// go at every full collection, so commits on changing threads kept allocating new large arrays
    /// (docs/BENCHMARKS.md e2e-orders round 6). At most four arrays per power-of-two size are kept.
    /// </summary>
    private static readonly System.Buffers.ArrayPool<byte> LargeRecords = System.Buffers.ArrayPool<byte>.Create(1 << 30, 4);

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => value.CopyTo(Append(PutRecord, key, value.Length));

    /// <summary>
    /// A put whose value the caller writes into the returned span (exactly <paramref name="valueLength"/>
    /// bytes) before the next call on the batch: a large value is written once, where the batch keeps it.
    /// </summary>
    public Span<byte> PutInPlace(ReadOnlySpan<byte> key, int valueLength) => Append(PutRecord, key, valueLength);

    public void Delete(ReadOnlySpan<byte> key) => Append(DeleteRecord, key, 0);

    /// <summary>Removes all operations so the batch can be reused.</summary>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Release();
    }

    public void Dispose()
    {
        if (_disposed) return;
        Release();
        _disposed = true;
    }

    private void Release()
    {
        foreach (var (buffer, _) in _sealed) (buffer.Length > SegmentSize ? LargeRecords : System.Buffers.ArrayPool<byte>.Shared).Return(buffer);
        _sealed.Clear();
        if (_current is not null) System.Buffers.ArrayPool<byte>.Shared.Return(_current);
        _current = null;
        _used = 0;
        _count = 0;
    }

    /// <summary>Adds every operation, in order, to the native batch <paramref name="nativeBatch"/>, each in its key's column family.</summary>
    internal unsafe void AddTo(nint nativeBatch, DbHandle db)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var (buffer, length) in _sealed) AddSegment(nativeBatch, db, buffer, length);
        if (_current is not null) AddSegment(nativeBatch, db, _current, _used);
    }

    private static unsafe void AddSegment(nint nativeBatch, DbHandle db, byte[] segment, int length)
    {
        Native native = Native.Instance;
        int position = 0;
        fixed (byte* buffer = segment)
        {
            while (position < length)
            {
                byte kind = buffer[position];
                int keyLength = BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan(position + 1));
                int valueLength = BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan(position + 5));
                byte* key = buffer + position + HeaderLength;
                nint family = db.FamilyOf(new ReadOnlySpan<byte>(key, keyLength));
                if (kind == PutRecord)
                {
                    native.rocksdb_writebatch_put_cf(nativeBatch, family, key, (nuint)keyLength, key + keyLength, (nuint)valueLength);
                }
                else
                {
                    native.rocksdb_writebatch_delete_cf(nativeBatch, family, key, (nuint)keyLength);
                }

                position += HeaderLength + keyLength + valueLength;
            }
        }
    }

    /// <summary>Writes a record's header and key; returns the span its value goes into.</summary>
    private Span<byte> Append(byte kind, ReadOnlySpan<byte> key, int valueLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(valueLength);
        int recordLength = checked(HeaderLength + key.Length + valueLength);
        Span<byte> record;
        if (recordLength > SegmentSize)
        {
            // Its own pooled array (a block, its events: megabytes each block), after what is already in the current segment, so the order is kept.
            Seal();
            var own = LargeRecords.Rent(recordLength);
            _sealed.Add((own, recordLength));
            record = own.AsSpan(0, recordLength);
        }
        else
        {
            if (_current is null || _used + recordLength > _current.Length)
            {
                Seal();
                _current = System.Buffers.ArrayPool<byte>.Shared.Rent(SegmentSize);
            }
            record = _current.AsSpan(_used, recordLength);
            _used += recordLength;
        }
        record[0] = kind;
        BinaryPrimitives.WriteInt32LittleEndian(record[1..], key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record[5..], valueLength);
        key.CopyTo(record[HeaderLength..]);
        _count++;
        return record[(HeaderLength + key.Length)..];
    }

    /// <summary>Moves the current segment, if it holds anything, to the sealed list.</summary>
    private void Seal()
    {
        if (_current is null) return;
        if (_used > 0) _sealed.Add((_current, _used));
        else System.Buffers.ArrayPool<byte>.Shared.Return(_current);
        _current = null;
        _used = 0;
    }
}
