using ExCraft.Chain.Execution;
using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Staking;

namespace ExCraft.Chain.Tests;

/// <summary>Epochs are located once per block at chain level, and every module's hooks run in registry order with the same epoch.</summary>
public sealed class EpochAndHookTests : IDisposable
{
    /// <summary>Records every hook call (and writes a key of its own at each epoch end, to show hooks write state like anything else).</summary>
    private sealed class RecordingModule : ChainModule
    {
        public readonly List<(string Hook, ulong Height, ulong Epoch, bool EndsEpoch)> Calls = [];

        public override string Name => "recorder";
        public override byte[] KeyPrefix => [0x7f];
        public override IReadOnlyList<ITxHandler> Handlers => [];
        public override IReadOnlyList<string> EventTypes => [];

        public override void BeginBlock(BlockHookContext c) => Record("begin", c.Block);
        public override void EndBlock(BlockHookContext c) => Record("end", c.Block);

        public override void EpochEnd(BlockHookContext c)
        {
            Record("epoch_end", c.Block);
            c.State.Set(StateKey.Of(KeyPrefix, (byte)'e').UInt64(c.Block.Epoch).Build(), [1]);
        }

        private void Record(string hook, BlockContext block) => Calls.Add((hook, block.Height, block.Epoch, block.EndsEpoch));
    }

    private readonly RecordingModule _recorder = new();
    private readonly TestChain _t;

    public EpochAndHookTests() =>
        _t = new TestChain(modules: g => new ModuleRegistry([.. ModuleRegistry.Standard(g).Modules, _recorder]));

    public void Dispose() => _t.Dispose();

    [Fact]
    public void An_epoch_ends_in_the_first_block_whose_time_reaches_its_start_plus_the_length()
    {
        // Test clock: genesis at 1,000 ms, a block every 100 ms, epochs of 1,000 ms: blocks 10 and 20 end epochs 0 and 1.
        for (var i = 0; i < 25; i++) _t.ProduceBlock();
        var ends = _recorder.Calls.Where(c => c.Hook == "epoch_end").ToList();
        Assert.Equal([(10UL, 0UL), (20UL, 1UL)], ends.Select(c => (c.Height, c.Epoch)));
        Assert.All(ends, c => Assert.True(c.EndsEpoch));
        Assert.Equal((2UL, TestChain.GenesisTimeMs + 2_000), EpochClock.Read(_t.Chain.State));
        Assert.Equal(2UL, StakingState.ReadActiveSet(_t.Chain.State).Epoch); // staking's epoch-end hook installed epoch 2's set
        Assert.Equal(2UL, new StakingQueries(_t.Chain.State, _t.Genesis.Staking).Validators().Epoch);
        Assert.NotNull(_t.Chain.State.Get(StateKey.Of([0x7f], (byte)'e').UInt64(1).Build()));
    }

    [Fact]
    public void Hooks_run_begin_then_end_then_epoch_end_and_agree_on_the_epoch()
    {
        for (var i = 0; i < 12; i++) _t.ProduceBlock();
        foreach (var height in Enumerable.Range(1, 12).Select(h => (ulong)h))
        {
            var calls = _recorder.Calls.Where(c => c.Height == height).ToList();
            var expected = height == 10 ? new[] { "begin", "end", "epoch_end" } : ["begin", "end"];
            Assert.Equal(expected, calls.Select(c => c.Hook));
            Assert.Single(calls.Select(c => (c.Epoch, c.EndsEpoch)).Distinct());
            Assert.Equal(height <= 10 ? 0UL : 1UL, calls[0].Epoch);
        }
    }
}
