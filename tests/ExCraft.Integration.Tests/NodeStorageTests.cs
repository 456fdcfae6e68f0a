using System.Diagnostics;
using ExCraft.Storage;

namespace ExCraft.Integration.Tests;

/// <summary>Storage problems at node start are one clear line and exit code 1, never a crash.</summary>
public sealed class NodeStorageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "excraft-node-storage-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_data_directory_of_the_old_single_family_layout_is_refused_and_left_alone()
    {
        var db = Path.Combine(_dir, "db");
        using (var old = RocksDbStore.Open(db, new RocksDbOptions { ColumnFamilies = [] }))
            old.Put("Mhead"u8, "old"u8, sync: true);

        var (exitCode, stderr) = await RunNodeAsync("--dev", "--data-dir", _dir, "--rpc-port", NodeProcess.FreePort().ToString());

        Assert.Equal(1, exitCode);
        Assert.Contains("excraft-node: RocksDB open failed for " + db + ": the database was written with another storage layout", stderr);
        Assert.DoesNotContain("   at ", stderr);
        using var again = RocksDbStore.Open(db, new RocksDbOptions { ColumnFamilies = [] });
        Assert.Equal("old"u8.ToArray(), again.Get("Mhead"u8));
    }

    [Fact]
    public async Task A_block_cache_size_out_of_range_is_a_clear_error()
    {
        var (exitCode, stderr) = await RunNodeAsync("--dev", "--data-dir", _dir, "--db-cache-mb", "0");

        Assert.Equal(1, exitCode);
        Assert.Contains("--db-cache-mb must be between 1 and 1048576 (MiB), got 0", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "db")));
    }

    private static async Task<(int ExitCode, string Stderr)> RunNodeAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "excraft-node.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.WaitForExit(30_000), "the node did not exit");
        await stdout;
        return (process.ExitCode, stderr);
    }
}
