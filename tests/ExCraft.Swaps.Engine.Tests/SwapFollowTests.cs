using System.Text.Json.Nodes;
using ExCraft.Integration.Tests;

namespace ExCraft.Swaps.Engine.Tests;

/// <summary>
/// `excraft swap show ID --follow --json` started as a real CLI process before the swap runs: it
/// prints each event the engine appends, one JSON object per line, in order and without gaps,
/// leaves the secret and the signed claims out, and exits by itself once the swap has finished.
/// </summary>
public sealed class SwapFollowTests(SwapWorld world) : IClassFixture<SwapWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Follow_prints_every_event_as_it_is_appended_until_the_swap_finishes()
    {
        var s = await SwapSetup.CreateAsync(world, t1Blocks: 600, t2Seconds: 30);
        var dir = Directory.CreateTempSubdirectory("excraft-swap-follow-").FullName;
        try
        {
            var config = Path.Combine(dir, "swap.json");
            File.WriteAllText(config, new JsonObject { ["dataDir"] = s.Initiator.Store.Directory, ["pollMilliseconds"] = 100 }.ToJsonString());
            var options = Drive.Options(marginSeconds: 15, windowSeconds: 8);
            var initiator = SwapEngine.Create(s.Initiator.Store, s.Terms, SwapRole.Initiator, s.Secret, s.Initiator.Legs, options);
            var participant = SwapEngine.Create(s.Participant.Store, s.Terms, SwapRole.Participant, null, s.Participant.Legs, options);

            using var follow = CliSwapTests.Start(dir, "swap", "show", s.Terms.Id, "--follow", "--json", "--swap-config", config);
            // Nothing but 'created' is in the log until the CLI has printed it: every later line was followed, not dumped.
            await Until.TrueAsync(() => Task.FromResult(Lines(follow).Count == 1), Bound, "the CLI prints the 'created' event",
                () => Text(follow));
            Assert.Equal(SwapEventTypes.Created, Lines(follow)[0]["type"]!.GetValue<string>());

            var ends = await Task.WhenAll(Drive.ToEndAsync(initiator, Bound), Drive.ToEndAsync(participant, Bound));
            Assert.Equal("completed", ends[0].Outcome);
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                await follow.Process.WaitForExitAsync(exit.Token);
            follow.Process.WaitForExit(); // drains the output readers
            Assert.True(follow.Process.ExitCode == 0, Text(follow));

            var printed = Lines(follow);
            var logged = s.Initiator.Store.Read(s.Terms.Id);
            Assert.Equal(logged.Select(e => e.Seq), printed.Select(o => o["seq"]!.GetValue<long>()));
            Assert.Equal(logged.Select(e => e.Type), printed.Select(o => o["type"]!.GetValue<string>()));
            Assert.Equal(SwapEventTypes.Finished, printed[^1]["type"]!.GetValue<string>());
            Assert.Equal("completed", printed[^1]["outcome"]!.GetValue<string>());
            Assert.Contains(SwapEventTypes.CounterClaimed, printed.Select(o => o["type"]!.GetValue<string>()));
            // The secret is left out of 'created' (it shows once the chains made it public, in 'own_claimed'), the signed claim too.
            Assert.Null(printed[0]["secret"]);
            Assert.All(printed, o => Assert.Null(o["replay"]));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static string Text(CliSwapTests.CliRun run)
    {
        lock (run.Output) return run.Output.ToString();
    }

    private static List<JsonObject> Lines(CliSwapTests.CliRun run) =>
        Text(run).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{')).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
}
