namespace ExCraft.Core.Crypto;

/// <summary>
/// Which libsecp256k1 file this process runs on, for diagnostics (benchmarks print it, a test checks
/// that it is the copy bundled with the Secp256k1.Net package and not a system library).
/// </summary>
public static class Secp256k1NativeLibrary
{
    /// <summary>
    /// Loads the library if it is not loaded yet, then returns the path of the mapped libsecp256k1
    /// file as the Linux loader reports it in /proc/self/maps; null where that file does not exist
    /// (other operating systems).
    /// <para>
    /// Not Secp256k1.Net's own Secp256k1.LibPath: the package loads through NativeLibrary's standard
    /// resolution first, and when that succeeds (as it does here, from the application's runtimes
    /// folder) LibPath holds only the name it asked for, "secp256k1", not the file (checked with
    /// Secp256k1.Net 2.0.0 on Linux x64). The loader's own map is the one record of the file.
    /// </para>
    /// </summary>
    public static string? LoadedPath()
    {
        _ = Secp256k1Context.Shared;
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            // address perms offset dev inode path; the path starts at the first '/'.
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..];
            if (Path.GetFileName(path).StartsWith("libsecp256k1", StringComparison.Ordinal)) return path;
        }
        return null;
    }
}
