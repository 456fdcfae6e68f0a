using Xunit.Abstractions;

namespace ExCraft.Integration.Tests;

/// <summary>
/// A node under repeated rounds of hostile requests keeps its memory bounded: what one round
/// needs is given back (or reused) by the next, so resident memory levels off instead of climbing.
/// </summary>
public sealed class MemoryUnderHostileLoadTests(ITestOutputHelper output) : NodeTest
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Memory_levels_off_over_rounds_of_hostile_requests()
    {
        const int rounds = 10;
        var load = new HostileLoad(Node);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var start = Node.ResidentBytes();

        // The peak of each round, sampled through it: the garbage collector lets the heap fill to
        // a budget before it collects, so single readings depend on timing; peaks follow the budget.
        var peaks = new List<long>();
        for (var round = 0; round < rounds; round++)
        {
            var started = DateTime.UtcNow;
            var peak = Node.ResidentBytes();
            var running = load.RunRoundAsync(scale: 4, bound.Token);
            while (!running.IsCompleted)
            {
                peak = Math.Max(peak, Node.ResidentBytes());
                await Task.WhenAny(running, Task.Delay(50));
            }
            await running;
            peaks.Add(Math.Max(peak, Node.ResidentBytes()));
            output.WriteLine($"round {round + 1}: {load.Requests} requests so far, {(DateTime.UtcNow - started).TotalSeconds:0.0} s, peak RSS {peaks[^1] / MiB} MiB (start {start / MiB} MiB)");
        }

        // Levels off: the last rounds peak no higher than rounds 2-4 plus a margin for the
        // collector's timing (measured: up to 60 MiB between rounds on a busy 2-core machine).
        // A leak of 8 KiB a request would add about 100 MiB between the two (12,700 requests apart).
        var early = peaks.Skip(1).Take(3).Max();
        var late = peaks.TakeLast(3).Max();
        Assert.True(late <= early + 96 * MiB, $"peak RSS went from {early / MiB} MiB in rounds 2-4 to {late / MiB} MiB in rounds {rounds - 2}-{rounds}: {string.Join(", ", peaks.Select(p => p / MiB))}");
        Assert.True(await Rpc.IsHealthyAsync());
        Assert.DoesNotContain("fail:", Node.Output);
    }
}
