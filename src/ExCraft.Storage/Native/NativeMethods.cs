using System.Runtime.InteropServices;

namespace ExCraft.Storage.Native;

/// <summary>
/// Source-generated P/Invoke bindings for the subset of the RocksDB 7.8 C API (rocksdb/c.h)
/// that ExCraft uses. All handles are opaque pointers (<see cref="nint"/>); lengths are size_t
/// (<see cref="nuint"/>); C <c>unsigned char</c> booleans are <see cref="byte"/>. Every
/// <c>char** errptr</c> must point at a null-initialised slot; a non-null result is a malloc'd
/// C string that has to be released with <see cref="rocksdb_free"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "librocksdb.so.7.8";

    /// <summary>Values of the C API compression enum (rocksdb_no_compression, ...).</summary>
    internal const int NoCompression = 0;
    internal const int Lz4Compression = 4;

    // ---- memory ----
    [LibraryImport(Library)]
    internal static partial void rocksdb_free(nint ptr);

    // ---- options ----
    [LibraryImport(Library)]
    internal static partial nint rocksdb_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_create_if_missing(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_open_files(nint options, int value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_write_buffer_size(nint options, nuint value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_compression(nint options, int compression);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_increase_parallelism(nint options, int totalThreads);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_block_based_table_factory(nint options, nint tableOptions);

    // ---- block based table options / cache / filter ----
    [LibraryImport(Library)]
    internal static partial nint rocksdb_block_based_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_destroy(nint tableOptions);

    /// <summary>Takes ownership of <paramref name="filterPolicy"/> (do not destroy it afterwards).</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_filter_policy(nint tableOptions, nint filterPolicy);

    /// <summary>Shares the cache (shared_ptr copy); the caller still destroys its own cache handle.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_block_cache(nint tableOptions, nint cache);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_cache_index_and_filter_blocks(nint tableOptions, byte value);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_filterpolicy_create_bloom(double bitsPerKey);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_cache_create_lru(nuint capacity);

    [LibraryImport(Library)]
    internal static partial void rocksdb_cache_destroy(nint cache);

    // ---- read / write options ----
    [LibraryImport(Library)]
    internal static partial nint rocksdb_readoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_destroy(nint readOptions);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_snapshot(nint readOptions, nint snapshot);

    /// <summary>Stores a Slice pointing at <paramref name="key"/>: the buffer must outlive the read options.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_upper_bound(nint readOptions, byte* key, nuint keyLength);

    /// <summary>Stores a Slice pointing at <paramref name="key"/>: the buffer must outlive the read options.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_lower_bound(nint readOptions, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_writeoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_destroy(nint writeOptions);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_set_sync(nint writeOptions, byte value);

    // ---- database ----
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_open(nint options, string name, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_close(nint db);

    [LibraryImport(Library)]
    internal static partial void rocksdb_put(nint db, nint writeOptions, byte* key, nuint keyLength, byte* value, nuint valueLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_delete(nint db, nint writeOptions, byte* key, nuint keyLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_write(nint db, nint writeOptions, nint batch, nint* errptr);

    /// <summary>Returns null when the key is absent (or on error, in which case errptr is set).</summary>
    [LibraryImport(Library)]
    internal static partial nint rocksdb_get_pinned(nint db, nint readOptions, byte* key, nuint keyLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_pinnableslice_value(nint slice, nuint* valueLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_pinnableslice_destroy(nint slice);

    // ---- write batch ----
    [LibraryImport(Library)]
    internal static partial nint rocksdb_writebatch_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_destroy(nint batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_clear(nint batch);

    [LibraryImport(Library)]
    internal static partial int rocksdb_writebatch_count(nint batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_put(nint batch, byte* key, nuint keyLength, byte* value, nuint valueLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_delete(nint batch, byte* key, nuint keyLength);

    // ---- iterators ----
    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_iterator(nint db, nint readOptions);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_destroy(nint iterator);

    [LibraryImport(Library)]
    internal static partial byte rocksdb_iter_valid(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_to_first(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_to_last(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek(nint iterator, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_for_prev(nint iterator, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_next(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_prev(nint iterator);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_iter_key(nint iterator, nuint* keyLength);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_iter_value(nint iterator, nuint* valueLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_get_error(nint iterator, nint* errptr);

    // ---- snapshots ----
    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_snapshot(nint db);

    [LibraryImport(Library)]
    internal static partial void rocksdb_release_snapshot(nint db, nint snapshot);

    // ---- helpers ----

    /// <summary>One zeroed native byte used in place of the null pointer C# produces when pinning an empty span.</summary>
    private static readonly byte* s_emptyBuffer = (byte*)NativeMemory.AllocZeroed(1);

    /// <summary>
    /// <c>fixed</c> on an empty span yields null; RocksDB copies with memcpy/std::string::append, which
    /// must not be handed a null source even for length 0, so substitute a valid address.
    /// </summary>
    internal static byte* NonNull(byte* pointer) => pointer == null ? s_emptyBuffer : pointer;

    /// <summary>
    /// If <paramref name="error"/> is non-null, copies the RocksDB message, frees the native string and
    /// throws a <see cref="StorageException"/> whose message is "<paramref name="context"/>: &lt;native text&gt;".
    /// </summary>
    internal static void ThrowIfError(nint error, string context)
    {
        if (error == 0)
        {
            return;
        }

        throw new StorageException(context, TakeError(error));
    }

    /// <summary>Copies and frees a native error string.</summary>
    internal static string TakeError(nint error)
    {
        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(error) ?? "unknown error";
        }
        finally
        {
            rocksdb_free(error);
        }

        return message;
    }
}
