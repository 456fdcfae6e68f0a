namespace ExCraft.Swaps.Ethereum.Tests;

/// <summary>Paths inside the repository the tests run from (found by walking up to ExCraft.sln).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();
    public static string Swaps => Path.Combine(Root, "swaps");
    public static string Contracts => Path.Combine(Swaps, "contracts");
    public static string Artifacts => Path.Combine(Contracts, "artifacts");

    /// <summary>node_modules of swaps/, installed by tools/test.sh (npm install).</summary>
    public static string NodeModules
    {
        get
        {
            var dir = Path.Combine(Swaps, "node_modules");
            if (!Directory.Exists(dir))
                throw new InvalidOperationException($"{dir} is missing: run `bash tools/test.sh` or `npm install` in swaps/ first");
            return dir;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExCraft.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ExCraft.sln not found above " + AppContext.BaseDirectory);
    }
}
