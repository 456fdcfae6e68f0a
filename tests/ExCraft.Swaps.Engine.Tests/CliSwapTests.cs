using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ExCraft.Core;
using ExCraft.Integration.Tests;
using ExCraft.Swaps.Engine.Legs;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// The participant runs as the real CLI (`excraft swap participate`, then `excraft swap run` in
/// its own process), killed with SIGKILL once it has accepted the initiator's lock and started
/// again: the swap completes, each leg locked once, every balance exact. The initiator is an
/// engine in the test process.
/// </summary>
public sealed class CliSwapTests(SwapWorld world) : IClassFixture<SwapWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private const int ParticipantDevAccount = 5; // pays the participant's ExCraft claim fee

    [Fact]
    public async Task Swap_run_killed_mid_swap_and_started_again_completes()
    {
        var s = await SwapSetup.CreateAsync(world, t1Blocks: 1500, t2Seconds: 70);
        var dir = Directory.CreateTempSubdirectory("excraft-swap-cli-").FullName;
        try
        {
            var keyFile = Path.Combine(dir, "eth.key");
            File.WriteAllText(keyFile, s.Participant.EthKey.GetPrivateKey()); // the party's funded key, used here by the CLI only
            var participantKeyAddress = s.Participant.EthSender.Address;
            var config = Path.Combine(dir, "swap.json");
            File.WriteAllText(config, new JsonObject
            {
                ["dataDir"] = "swaps", ["safetyMarginSeconds"] = 20, ["minClaimWindowSeconds"] = 10, ["pollMilliseconds"] = 200,
                ["excraft"] = new JsonObject { ["rpc"] = world.Ext.Rpc.Url, ["key"] = $"dev:{ParticipantDevAccount}", ["blockIntervalMs"] = 100 },
                ["ethereum"] = new JsonObject { ["rpc"] = world.Anvil.Url, ["keyFile"] = keyFile, ["htlc"] = world.Htlc.ContractAddress },
            }.ToJsonString());
            var termsFile = Path.Combine(dir, "terms.json");
            File.WriteAllText(termsFile, s.Terms.ToJson().ToJsonString());
            var participantDev = Wallet.Dev(ParticipantDevAccount).Address;
            var participantExt = await world.ExtBalanceAsync(participantDev);
            var participantEth = await world.EthBalanceAsync(participantKeyAddress);
            var initiatorExt = await world.ExtBalanceAsync(s.Initiator.ExtKey.Address);

            var initiator = SwapEngine.Create(s.Initiator.Store, s.Terms, SwapRole.Initiator, s.Secret, s.Initiator.Legs, Drive.Options(20, 10));
            var initiatorEnd = Drive.ToEndAsync(initiator, Bound);

            var participate = await CliAsync(dir, "swap", "participate", "--terms", termsFile, "--swap-config", config, "--json");
            Assert.True(participate.Exit == 0, participate.Output);
            var log = Path.Combine(dir, "swaps", s.Terms.Id + ".jsonl");
            Assert.True(File.Exists(log));

            using (var first = Start(dir, "swap", "run", "--swap-config", config))
            {
                await Until.TrueAsync(() => Task.FromResult(File.ReadAllText(log).Contains("\"counter_lock_accepted\"", StringComparison.Ordinal)),
                    Bound, "the participant's CLI accepts the initiator's lock");
                first.Process.Kill(entireProcessTree: true); // SIGKILL: no chance to flush anything
                await first.Process.WaitForExitAsync();
            }
            var again = await CliAsync(dir, "swap", "run", "--swap-config", config);
            Assert.True(again.Exit == 0, again.Output);
            Assert.Contains($"{s.Terms.Id}: completed", again.Output);
            Assert.Equal("completed", (await initiatorEnd).Outcome);

            var store = new SwapStore(Path.Combine(dir, "swaps"));
            Assert.Single(store.Read(s.Terms.Id), e => e.Type == SwapEventTypes.OwnLockPrepared);
            Assert.Equal(initiatorExt - SwapSetup.ExtAmount - SwapWorld.Fee, await world.ExtBalanceAsync(s.Initiator.ExtKey.Address));
            Assert.Equal(SwapSetup.ExtAmount, await world.ExtBalanceAsync(s.Participant.ExtReceive));
            Assert.Equal(participantExt - SwapWorld.Fee, await world.ExtBalanceAsync(participantDev));
            Assert.Equal(SwapSetup.EthAmount, await world.EthBalanceAsync(s.Initiator.EthReceive));
            Assert.InRange(participantEth - await world.EthBalanceAsync(participantKeyAddress), SwapSetup.EthAmount, SwapSetup.EthAmount + Ethereum.Tests.SwapChain.Ether / 100);

            var secret = await CliAsync(dir, "swap", "extract-secret", s.Terms.Id, "--swap-config", config);
            Assert.True(secret.Exit == 0, secret.Output);
            Assert.Contains("0x" + Convert.ToHexString(s.Secret).ToLowerInvariant(), secret.Output);
            var list = await CliAsync(dir, "swap", "list", "--swap-config", config, "--json");
            Assert.Equal("completed", JsonNode.Parse(list.Output)![0]!["outcome"]!.GetValue<string>());
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    internal sealed record CliRun(Process Process, StringBuilder Output) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    internal static CliRun Start(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "excraft.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["HOME"] = dir;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new CliRun(process, output);
    }

    internal static async Task<(int Exit, string Output)> CliAsync(string dir, params string[] args)
    {
        using var run = Start(dir, args);
        using var timeout = new CancellationTokenSource(Bound);
        await run.Process.WaitForExitAsync(timeout.Token);
        run.Process.WaitForExit(); // drains the output readers
        lock (run.Output) return (run.Process.ExitCode, run.Output.ToString());
    }
}
