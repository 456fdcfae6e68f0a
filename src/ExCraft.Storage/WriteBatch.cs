using System.Buffers.Binary;
using RocksDbSharp;

namespace ExCraft.Storage;

/// <summary>
/// A group of puts and deletes applied atomically by <see cref="IKeyValueStore.Write"/>. Keys and values are
/// copied into the batch immediately. The batch is kept in managed memory because it is built before it meets
/// a store, and only the store knows which column family each key belongs to; <see cref="RocksDbStore.Write"/>
/// turns it into one native write batch, which RocksDB applies atomically across column families.
/// A batch is not thread-safe; it can be reused after <see cref="Clear"/> or after being written.
/// </summary>
public sealed class WriteBatch : IDisposable
{
    private const byte PutRecord = 1;
    private const byte DeleteRecord = 2;

    /// <summary>Record header: kind (1 byte), key length, value length (4 bytes each, little-endian).</summary>
    private const int HeaderLength = 9;

    private byte[] _buffer = [];
    private int _length;
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

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Append(PutRecord, key, value);

    public void Delete(ReadOnlySpan<byte> key) => Append(DeleteRecord, key, ReadOnlySpan<byte>.Empty);

    /// <summary>Removes all operations so the batch can be reused (the buffer is kept).</summary>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _length = 0;
        _count = 0;
    }

    public void Dispose()
    {
        _disposed = true;
        _buffer = [];
        _length = 0;
        _count = 0;
    }

    /// <summary>Adds every operation, in order, to the native batch <paramref name="nativeBatch"/>, each in its key's column family.</summary>
    internal unsafe void AddTo(nint nativeBatch, DbHandle db)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Native native = Native.Instance;
        int position = 0;
        fixed (byte* buffer = _buffer)
        {
            while (position < _length)
            {
                byte kind = buffer[position];
                int keyLength = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(position + 1));
                int valueLength = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(position + 5));
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

    private void Append(byte kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int recordLength = checked(HeaderLength + key.Length + value.Length);
        int needed = checked(_length + recordLength);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _buffer.Length + 256)));
        }

        Span<byte> record = _buffer.AsSpan(_length, recordLength);
        record[0] = kind;
        BinaryPrimitives.WriteInt32LittleEndian(record[1..], key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record[5..], value.Length);
        key.CopyTo(record[HeaderLength..]);
        value.CopyTo(record[(HeaderLength + key.Length)..]);
        _length = needed;
        _count++;
    }
}
