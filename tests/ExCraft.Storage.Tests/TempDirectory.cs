namespace ExCraft.Storage.Tests;

/// <summary>A unique directory under the system temp path, deleted recursively on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "excraft-storage-tests-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>Not created up front: RocksDbStore.Open must create it.</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
