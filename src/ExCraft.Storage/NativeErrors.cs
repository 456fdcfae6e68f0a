using System.Runtime.InteropServices;
using RocksDbSharp;

namespace ExCraft.Storage;

/// <summary>
/// Turns the C API's <c>char** errptr</c> results into <see cref="StorageException"/>s. A non-null error is a
/// malloc'd C string owned by the caller: it is copied and released with <c>rocksdb_free</c>.
/// </summary>
internal static unsafe class NativeErrors
{
    /// <summary>One zeroed native byte used in place of the null pointer C# produces when pinning an empty span.</summary>
    private static readonly byte* s_emptyBuffer = (byte*)NativeMemory.AllocZeroed(1);

    /// <summary>
    /// <c>fixed</c> on an empty span yields null; RocksDB copies keys with memcpy/std::string::append, which
    /// must not be handed a null source even for length 0, so substitute a valid address.
    /// </summary>
    internal static byte* NonNull(byte* pointer) => pointer == null ? s_emptyBuffer : pointer;

    /// <summary>Throws "<paramref name="context"/>: &lt;RocksDB text&gt;" if <paramref name="error"/> is set.</summary>
    internal static void ThrowIfError(nint error, string context)
    {
        if (error != 0)
        {
            throw new StorageException(context, Take(error));
        }
    }

    /// <summary>Copies and frees a native error string.</summary>
    internal static string Take(nint error)
    {
        try
        {
            return Marshal.PtrToStringUTF8(error) ?? "unknown error";
        }
        finally
        {
            Native.Instance.rocksdb_free(error);
        }
    }
}
