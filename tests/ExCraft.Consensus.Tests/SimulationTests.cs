using Xunit.Abstractions;

namespace ExCraft.Consensus.Tests;

public class SimulationTests(ITestOutputHelper output)
{
    public static TheoryData<string> FaultProfiles() =>
    [
        "delay", "loss20", "reorder-duplicate", "partition-2-of-4", "partition-during-round", "weighted-7", "byzantine-equivocator",
        "byzantine-partitions", "byzantine-2-of-7", "heavy-tail-byzantine",
    ];

    private static SimOptions Profile(string name, Random rng) => name switch
    {
        "delay" => new SimOptions { Nodes = 4, MinDelayMs = 5, MaxDelayMs = 250 },
        "loss20" => new SimOptions { Nodes = 5, LossProbability = 0.2, MaxDelayMs = 80 },
        "reorder-duplicate" => new SimOptions { Nodes = 4, MinDelayMs = 1, MaxDelayMs = 400, DuplicateProbability = 0.3 },
        "partition-2-of-4" => new SimOptions
        {
            Nodes = 4,
            LossProbability = 0.05,
            Partitions = [new SimPartition(new HashSet<int> { 0, 1 }, 0, rng.Next(2000, 8000))],
        },
        "partition-during-round" => new SimOptions
        {
            Nodes = 4,
            MaxDelayMs = 60,
            // Short partitions of random groups at random moments: they cut rounds in the middle.
            Partitions = RandomPartitions(rng, 4, 6, 6000),
        },
        "weighted-7" => new SimOptions
        {
            Nodes = 7,
            Powers = [50, 30, 20, 20, 10, 10, 5],
            LossProbability = 0.1,
            MaxDelayMs = 100,
            Partitions = [new SimPartition(new HashSet<int> { 0, 5 }, rng.Next(0, 3000), rng.Next(3000, 6000))],
        },
        "byzantine-equivocator" => new SimOptions { Nodes = 4, Byzantine = new HashSet<int> { 0 }, LossProbability = 0.1, MaxDelayMs = 80 },
        "byzantine-partitions" => new SimOptions
        {
            Nodes = 4,
            Byzantine = new HashSet<int> { 3 },
            LossProbability = 0.15,
            MaxDelayMs = 120,
            Partitions = RandomPartitions(rng, 4, 12, 8000),
        },
        "heavy-tail-byzantine" => new SimOptions
        {
            Nodes = 4,
            Byzantine = new HashSet<int> { 2 },
            LossProbability = 0.1,
            SlowProbability = 0.4,
            SlowDelayMs = 1500,
            Timeouts = new ConsensusTimeouts(100, 50, 50, 20),
        },
        "byzantine-2-of-7" => new SimOptions
        {
            Nodes = 7,
            Byzantine = new HashSet<int> { 1, 4 },
            LossProbability = 0.1,
            MaxDelayMs = 100,
            Partitions = RandomPartitions(rng, 7, 8, 8000),
        },
        _ => throw new ArgumentException(name),
    };

    /// <summary>Short partitions of random groups at random moments: they cut rounds in the middle.</summary>
    private static List<SimPartition> RandomPartitions(Random rng, int nodes, int count, int withinMs) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            var start = rng.Next(0, withinMs);
            var group = new HashSet<int>(Enumerable.Range(0, nodes).Where(_ => rng.Next(2) == 0));
            return new SimPartition(group, start, start + rng.Next(100, 1500));
        }).ToList();

    [Theory]
    [MemberData(nameof(FaultProfiles))]
    public void Safety_and_liveness_across_seeds(string profile)
    {
        const int seeds = 10;
        const int heights = 10;
        for (var seed = 0; seed < seeds; seed++)
        {
            var options = Profile(profile, new Random(seed * 7919 + profile.Length)) with { MaxTimeMs = 90_000 };
            using var sim = new SimNetwork(options, seed);
            var live = sim.RunUntilHeights(heights);
            output.WriteLine($"{profile} seed {seed}: {sim.Describe()}");
            Assert.True(sim.Violations.Count == 0, $"{profile} seed {seed}: {sim.Describe()}");
            Assert.True(live, $"{profile} seed {seed} did not decide {heights} heights: {sim.Describe()}");
            // Every honest node holds the same chain.
            foreach (var n in sim.Honest)
            {
                for (var h = 0; h < heights; h++) Assert.Equal(sim.Decisions[(ulong)h + 1], n.Chain[h].Block.Hash);
            }
        }
    }

    [Fact]
    public void Partitioned_halves_decide_nothing_and_recover_after_healing()
    {
        for (var seed = 0; seed < 4; seed++)
        {
            var options = new SimOptions
            {
                Nodes = 4,
                LossProbability = 0.2,
                Partitions = [new SimPartition(new HashSet<int> { 1, 3 }, 0, 10_000)],
                MaxTimeMs = 60_000,
            };
            using var sim = new SimNetwork(options, 100 + seed);
            var live = sim.RunUntilHeights(5);
            output.WriteLine(sim.Describe());
            Assert.Empty(sim.Violations);
            Assert.True(live, sim.Describe());
            Assert.True(sim.DecisionTimes[1] >= 10_000, $"height 1 decided at {sim.DecisionTimes[1]} ms, during the partition");
        }
    }

    [Fact]
    public void Equivocating_validator_is_reported_by_honest_engines()
    {
        var options = new SimOptions { Nodes = 4, Byzantine = new HashSet<int> { 2 }, MaxDelayMs = 50 };
        using var sim = new SimNetwork(options, 5);
        Assert.True(sim.RunUntilHeights(3), sim.Describe());
        Assert.Empty(sim.Violations);
        var byzantine = sim.Nodes[2].Key.Address;
        foreach (var n in sim.Honest)
        {
            var found = sim.Evidence.Where(e => e.Node == n.Index).Select(e => e.Evidence).ToList();
            Assert.NotEmpty(found);
            Assert.All(found, e =>
            {
                Assert.True(e.Verify(TestChain.ChainId, out var error), error);
                Assert.Equal(byzantine, e.A.Validator);
            });
            // Once per (validator, height, round, type).
            Assert.Equal(found.Count, found.Select(e => (e.A.Height, e.A.Round, e.A.Type)).Distinct().Count());
        }
    }

    [Fact]
    public void Commits_from_decided_verify_against_the_validator_set()
    {
        var options = new SimOptions { Nodes = 7, Powers = [100, 1, 1, 40, 40, 40, 40], LossProbability = 0.1 };
        using var sim = new SimNetwork(options, 77);
        Assert.True(sim.RunUntilHeights(6), sim.Describe());
        Assert.Empty(sim.Violations);
        Assert.True(sim.EngineDecisions > 0);
        foreach (var n in sim.Honest)
        {
            foreach (var (block, commit) in n.Chain)
            {
                Assert.Null(TestChain.CheckCommit(TestChain.ChainId, sim.Validators, block, commit));
                var signed = commit.Signatures.Aggregate(0UL, (s, c) => s + sim.Validators.PowerOf(c.Validator));
                Assert.True(3 * signed > 2 * sim.Validators.TotalPower);
                Assert.Equal(commit.Signatures.OrderBy(s => s.Validator).Select(s => s.Validator), commit.Signatures.Select(s => s.Validator));
            }
        }
    }

    [Fact]
    public void Crashed_validators_restart_from_wal_and_guard_without_conflicting_votes()
    {
        int restarts = 0, replays = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var options = new SimOptions
            {
                Nodes = 4,
                Durable = true,
                Crashes = 15,
                CrashWindowMs = 4_000,
                LossProbability = 0.1,
                MaxDelayMs = 60,
                MaxTimeMs = 120_000,
            };
            using var sim = new SimNetwork(options, 1000 + seed);
            var live = sim.RunUntilHeights(30);
            output.WriteLine($"seed {seed}: {sim.Describe()}");
            Assert.True(sim.Violations.Count == 0, sim.Describe());
            Assert.True(live, sim.Describe());
            restarts += sim.Restarts;
            replays += sim.Replays;
        }
        Assert.True(restarts >= 80, $"only {restarts} restarts happened");
        Assert.True(replays >= 40, $"only {replays} restarts replayed a WAL");
    }
}
