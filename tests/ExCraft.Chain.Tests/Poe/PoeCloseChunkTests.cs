using ExCraft.Chain.Modules;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Poe;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Poe;

/// <summary>
/// The close spread over blocks (docs/poe.md): three ended epochs of random tallies closed block by
/// block with chunks of 1, 7 and "all at once" (each block its own overlay over the previous
/// blocks, as the node runs it). Epochs close strictly in order, one at a time, no block does more
/// than its chunk of work, and the final state (reports, entries, indexes, prices, the rewards
/// credited) is identical for every chunk size.
/// </summary>
public sealed class PoeCloseChunkTests : IDisposable
{
    private const string EXT = AssetSymbol.Native;
    private const ulong Epochs = 3;
    private readonly TestChain _t = new();

    public void Dispose() => _t.Dispose();

    private static UInt128 AvailableOf(ulong epoch) => Amount.FromWhole(1_000 + epoch);

    /// <summary>Random tallies in epochs 0..2 (some accounts trade in several epochs; about two in three registered), as committed state.</summary>
    private StateOverlay EndedEpochs()
    {
        var random = new Random(17);
        var state = new StateOverlay(_t.Chain.State);
        var accounts = Enumerable.Range(0, 40).Select(_ => TestChain.RandomAddress(random)).ToList();
        foreach (var account in accounts.Where(_ => random.Next(3) != 0)) new AccountState(state).SetRegistered(account);
        for (var epoch = 0ul; epoch < Epochs; epoch++)
        {
            foreach (var account in accounts.Where(_ => random.Next(4) != 0))
            {
                var tally = AccountTally.Empty().WithTrade(random.Next(2) == 0, EXT, (UInt128)(ulong)random.NextInt64(1, long.MaxValue), EXT,
                    (UInt128)(ulong)random.NextInt64(0, long.MaxValue / 100));
                PoeState.WriteAccountTally(state, epoch, account, tally);
            }
        }
        return state;
    }

    /// <summary>Closes every ended epoch block by block with the chunk size; pays each finished report as the emission module does. Returns the final state.</summary>
    private List<KeyValuePair<byte[], byte[]>> CloseAll(ulong chunk, List<ulong> finishedOrder)
    {
        var state = EndedEpochs();
        var parameters = new PoeParameters(EXT, 900_000, chunk);
        for (var block = 0; block < 1_000 && PoeState.ReadNextToClose(state) < Epochs; block++)
        {
            var overlay = new StateOverlay(state);
            var before = PoeState.ReadCloseProgress(overlay);
            var closing = PoeState.ReadNextToClose(overlay);
            var summary = PoeEpochClose.Step(overlay, Epochs, parameters, e => AvailableOf(e), out var used);
            var after = PoeState.ReadCloseProgress(overlay);
            // One close at a time, in epoch order; a running close is always the next epoch to close.
            if (before is not null) Assert.Equal(closing, before.Epoch);
            if (after is not null) Assert.Equal(closing, after.Epoch);
            // No block does more than its chunk: the progress moves by at most chunk account-steps (valued plus paid).
            var stepsBefore = before is null ? 0 : before.Phase == PoeClosePhase.Valuing ? before.Done : before.Accounts + before.Done;
            var stepsAfter = summary is not null ? 2 * summary.Entries : after!.Phase == PoeClosePhase.Valuing ? after.Done : after.Accounts + after.Done;
            Assert.True(stepsAfter - stepsBefore <= chunk, $"block {block} did {stepsAfter - stepsBefore} account-steps with a chunk of {chunk}");
            Assert.Equal(stepsAfter - stepsBefore, used); // what the pools close's share of the block budget is computed from
            if (summary is not null)
            {
                finishedOrder.Add(summary.Epoch);
                Assert.Equal(closing, summary.Epoch);
                Assert.Equal(closing + 1, PoeState.ReadNextToClose(overlay));
                Assert.Equal(summary.Paid, PoePayout.Of(overlay, summary.Epoch, AvailableOf(summary.Epoch)).Paid); // credited chunk by chunk as it went
            }
            else Assert.Throws<PoeEpochNotClosedException>(() => PoeModule.Queries(overlay).Summary(closing));
            overlay.MergeInto(state);
        }
        Assert.Equal(Epochs, PoeState.ReadNextToClose(state));
        Assert.Null(PoeState.ReadCloseProgress(state));
        for (var epoch = 0ul; epoch < Epochs; epoch++) Assert.Empty(PoeState.ReadAccountTallies(state, epoch));
        return state.IteratePrefix([]).ToList();
    }

    [Fact]
    public void Chunks_of_one_and_seven_close_the_queued_epochs_in_order_to_exactly_the_state_of_a_close_all_at_once()
    {
        var order = new List<ulong>();
        var atOnce = CloseAll(ulong.MaxValue, order);
        Assert.Equal([0ul, 1, 2], order);
        foreach (var chunk in new ulong[] { 1, 7 })
        {
            order.Clear();
            var chunked = CloseAll(chunk, order);
            Assert.Equal([0ul, 1, 2], order);
            Assert.Equal(atOnce.Count, chunked.Count);
            for (var i = 0; i < atOnce.Count; i++)
            {
                Assert.Equal(Convert.ToHexString(atOnce[i].Key), Convert.ToHexString(chunked[i].Key));
                Assert.Equal(Convert.ToHexString(atOnce[i].Value), Convert.ToHexString(chunked[i].Value));
            }
        }
        // Something was reported and paid in every epoch.
        var state = new StateOverlay(_t.Chain.State);
        foreach (var kv in atOnce) state.Set(kv.Key, kv.Value);
        for (var epoch = 0ul; epoch < Epochs; epoch++) Assert.True(PoeState.ReadSummary(state, epoch)!.Paid > 0);
    }
}
