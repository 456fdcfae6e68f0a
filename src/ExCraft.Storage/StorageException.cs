namespace ExCraft.Storage;

/// <summary>
/// Raised for every error reported by the native RocksDB library (open failures, I/O errors,
/// corruption, lock conflicts, ...). The message contains the operation and RocksDB's own text,
/// e.g. "RocksDB open failed for /data/chain: IO error: lock hold by current process ...".
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException()
        : base("RocksDB storage error")
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal StorageException(string context, string nativeMessage)
        : base($"{context}: {nativeMessage}")
    {
    }
}
