using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ExCraft.Integration.Tests;

/// <summary>The node reads a config file (section "Node"), and command-line options override it.</summary>
public sealed class NodeConfigurationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "excraft-config-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Config_file_sets_the_node_and_command_line_options_win()
    {
        Directory.CreateDirectory(_dir);
        var config = Path.Combine(_dir, "node.json");
        // The port is probed free here and bound later by the node: if another process takes it in between, try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = NodeProcess.FreePort();
            File.WriteAllText(config, new JsonObject
            {
                ["Node"] = new JsonObject { ["RpcPort"] = port, ["DataDir"] = Path.Combine(_dir, "data"), ["Moniker"] = "from-config", ["BlockIntervalMs"] = 100 },
            }.ToJsonString());
            if (await ConfiguredNodeAnswersAsync(config, port, lastAttempt: attempt == 3)) return;
        }
    }

    /// <summary>Starts the node on the config file and checks it; false if it could not bind the port (another process took it).</summary>
    private async Task<bool> ConfiguredNodeAnswersAsync(string config, int port, bool lastAttempt)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "excraft-node.dll"), "--dev", "--config", config, "--moniker", "from-command-line" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var rpc = new RpcClient($"http://127.0.0.1:{port}/");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!await rpc.IsHealthyAsync())
            {
                if (process.HasExited)
                {
                    var error = await stderr.WaitAsync(TimeSpan.FromSeconds(30));
                    if (!lastAttempt && NodeProcess.LostPortRace(error, port, port - NodeProcess.DerivedGrpcOffset)) return false;
                    Assert.Fail($"the node exited with {process.ExitCode}: {error}");
                }
                Assert.True(DateTime.UtcNow < deadline, "the node did not listen on the configured port");
                await Task.Delay(100);
            }
            var info = (await rpc.CallAsync("ext_nodeInfo"))!;
            Assert.Equal("from-command-line", info["moniker"]!.GetValue<string>());
            Assert.True(Directory.Exists(Path.Combine(_dir, "data", "db")));
            return true;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    [Fact]
    public async Task Unknown_options_and_a_missing_config_file_are_clear_errors()
    {
        foreach (var (args, message) in new[]
        {
            (new[] { "--dev", "--rpc-prot", "1" }, "unknown option '--rpc-prot'"),
            (new[] { "--dev", "--config", Path.Combine(_dir, "missing.json") }, "config file not found"),
            (new[] { "--dev", "--consensus", "maybe" }, "--consensus must be single or bft"),
        })
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "excraft-node.dll"));
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(1, process.ExitCode);
            Assert.Contains(message, stderr);
        }
    }
}
