using ExCraft.Storage.Native;
using static ExCraft.Storage.Native.NativeMethods;

namespace ExCraft.Storage;

/// <summary>
/// A group of puts and deletes applied atomically by <see cref="IKeyValueStore.Write"/>
/// (wraps <c>rocksdb_writebatch_t</c>). Keys and values are copied into the batch immediately.
/// A batch is not thread-safe; it can be reused after <see cref="Clear"/> or after being written.
/// </summary>
public sealed unsafe class WriteBatch : IDisposable
{
    private readonly WriteBatchHandle _handle = new();

    /// <summary>Number of operations recorded in the batch.</summary>
    public int Count
    {
        get
        {
            bool added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                return rocksdb_writebatch_count(_handle.DangerousGetHandle());
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }
    }

    internal WriteBatchHandle Handle => _handle;

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* k = key)
            fixed (byte* v = value)
            {
                rocksdb_writebatch_put(_handle.DangerousGetHandle(), NonNull(k), (nuint)key.Length, NonNull(v), (nuint)value.Length);
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* k = key)
            {
                rocksdb_writebatch_delete(_handle.DangerousGetHandle(), NonNull(k), (nuint)key.Length);
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Removes all operations so the batch can be reused.</summary>
    public void Clear()
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            rocksdb_writebatch_clear(_handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
