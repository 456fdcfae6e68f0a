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
