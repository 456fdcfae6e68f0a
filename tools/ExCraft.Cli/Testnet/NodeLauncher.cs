using System.Diagnostics;

namespace ExCraft.Cli.Testnet;

/// <summary>Starts testnet node processes detached from the terminal (they outlive the command) and stops them.</summary>
public static class NodeLauncher
{
    public static string NodeDll => Path.Combine(AppContext.BaseDirectory, "excraft-node.dll");

    public static int Start(TestnetLayout layout, TestnetNode node, IEnumerable<string> peers, int blockIntervalMs)
    {
        var args = new List<string>
        {
            NodeDll, "--genesis", layout.GenesisPath, "--data-dir", layout.DataDir(node), "--node-key", layout.NodeKeyPath(node),
            "--rpc-port", node.RpcPort.ToString(), "--p2p-port", node.P2pPort.ToString(), "--moniker", node.Name,
            "--block-interval-ms", blockIntervalMs.ToString(),
        };
        if (node.Validator) args.AddRange(["--validator-key", layout.ValidatorKeyPath(node)]);
        var peerList = string.Join(',', peers);
        if (peerList.Length > 0) args.AddRange(["--peers", peerList]);
        // setsid puts the node in its own session, so closing this terminal or Ctrl+C here does not stop it.
        var quoted = string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec setsid dotnet {quoted} >> '{layout.LogPath(node)}' 2>&1 < /dev/null & echo $!"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var shell = Process.Start(start) ?? throw new CliException(ExitCodes.Usage, "could not start /bin/sh");
        var pid = int.Parse(shell.StandardOutput.ReadLine() ?? throw new CliException(ExitCodes.Usage, "could not start the node process"));
        shell.WaitForExit(5_000);
        return pid;
    }

    public static bool IsRunning(int? pid)
    {
        if (pid is not { } id) return false;
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM (graceful) and wait; SIGKILL after the timeout, or at once when hard.</summary>
    public static void Stop(int? pid, bool hard, TimeSpan timeout)
    {
        if (!IsRunning(pid)) return;
        using var process = Process.GetProcessById(pid!.Value);
        if (hard)
        {
            process.Kill(entireProcessTree: true);
        }
        else
        {
            using (var kill = Process.Start("kill", ["-TERM", pid.Value.ToString()])) kill.WaitForExit(5_000);
            if (process.WaitForExit(timeout)) return;
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit(10_000);
    }
}
