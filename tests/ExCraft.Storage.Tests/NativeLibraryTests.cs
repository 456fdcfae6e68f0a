namespace ExCraft.Storage.Tests;

public sealed class NativeLibraryTests : StoreTestBase
{
    [Fact]
    public void NativeLibrary_IsLoadedFromThePackagesRuntimesFolder_NotFromTheSystem()
    {
        using RocksDbStore store = RocksDbStore.Open(DbPath, TestOptions);

        string? loaded = RocksDbStore.NativeLibraryPath;

        Assert.NotNull(loaded);
        Assert.True(File.Exists(loaded), loaded);
        string runtimes = Path.Combine(AppContext.BaseDirectory, "runtimes");
        Assert.StartsWith(runtimes, Path.GetFullPath(loaded), StringComparison.Ordinal);
        Assert.Contains("librocksdb", Path.GetFileName(loaded), StringComparison.Ordinal);
    }
}
