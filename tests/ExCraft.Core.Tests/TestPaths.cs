namespace ExCraft.Core.Tests;

/// <summary>Locates files of the repository (genesis/, test data, tools/) from the test binaries.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The folder holding ExCraft.sln, found by walking up from AppContext.BaseDirectory.</summary>
    public static string RepoRoot => Root.Value;

    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    public static string TestData(string fileName) => InRepo("tests", "ExCraft.Core.Tests", "TestData", fileName);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExCraft.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no folder holding ExCraft.sln above {AppContext.BaseDirectory}");
    }
}
