using System.Runtime.InteropServices;

namespace ExCraft.Consensus;

/// <summary>Crash-safe file replacement and directory fsync.</summary>
internal static partial class DurableFile
{
    /// <summary>Writes <paramref name="content"/> to path.tmp, fsyncs it, renames it to <paramref name="path"/>
    /// and fsyncs the directory, so after a crash the path holds either the old or the new content.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, full, overwrite);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        SyncDirectory(Path.GetDirectoryName(full)!);
    }

    /// <summary>Makes a rename or file creation in <paramref name="directory"/> durable (no-op on Windows, where it is not possible).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
