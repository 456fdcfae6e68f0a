using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>
/// The pools rules while a close is spread over blocks (docs/pools.md, "The close spread over
/// blocks"): with a close budget of one account-step per block, members switch, leave and a pool
/// is deleted (moving its members) in the blocks of the close, before and after the tally's
/// cursor passes them. The ended epoch's PoE still stays with the pool of the epoch, the deleted
/// pool is still tallied, and the next epoch counts the switches.
/// </summary>
public sealed class PoolChunkedCloseRulesTests : IDisposable
{
    private readonly PoolTestKit _k = new(adjust: g => g with { Poe = g.Poe with { CloseChunkAccounts = 1 } });

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Switches_and_a_deletion_during_a_chunked_close_leave_the_ended_epoch_with_its_pools()
    {
        var a = PoolTestKit.Accounts;
        _k.Ok(0, new CreatePoolPayload("alpha", 100_000));
        _k.Ok(1, new CreatePoolPayload("beta", 100_000));
        _k.Batch((2, new JoinPoolPayload(1)), (4, new JoinPoolPayload(1)), (5, new JoinPoolPayload(2)), (6, new JoinPoolPayload(2)));
        Settle(_k.Epoch);
        var epoch = _k.Epoch; // members 2 and 4 count for alpha, 5 and 6 for beta
        (_k.Poe[(epoch, a[2])], _k.Poe[(epoch, a[4])], _k.Poe[(epoch, a[5])], _k.Poe[(epoch, a[6])]) = (700, 300, 200, 100);
        (_k.Poe[(epoch + 1, a[2])], _k.Poe[(epoch + 1, a[4])], _k.Poe[(epoch + 1, a[5])]) = (50, 20, 9);
        for (var i = 0; i < 50 && _k.Epoch == epoch; i++) _k.Chain.ProduceBlock();
        Assert.Equal(epoch + 1, _k.Epoch);

        // The close runs one member per block: each change below lands while it is in progress.
        _k.Ok(4, new JoinPoolPayload(2));
        Assert.NotNull(PoolsState.ReadCloseProgress(_k.State));
        _k.Ok(0, new DeletePoolPayload(1, 2)); // moves member 2 into beta
        Assert.NotNull(PoolsState.ReadCloseProgress(_k.State));
        _k.Ok(5, new LeavePoolPayload());
        Assert.NotNull(PoolsState.ReadCloseProgress(_k.State));
        Assert.True(PoolsState.IsPendingTally(_k.State, epoch));
        Assert.Equal(epoch, EmissionState.ReadTotals(_k.State).EpochsSettled); // not settled before the pools close ends

        Settle(epoch);
        Assert.Equal((1000UL, 2UL), Figures(epoch, 1)); // alpha keeps 2 and 4 for the ended epoch, though deleted since
        Assert.Equal((300UL, 2UL), Figures(epoch, 2));
        Assert.Empty(_k.State.IteratePrefix(PoolsKeys.EpochPools(epoch)));
        Assert.Null(PoolsState.ReadCloseProgress(_k.State));

        // The switches count from the next epoch: alpha (deleted in it) still has 2 and 4 there, beta 5 and 6.
        for (var i = 0; i < 50 && _k.Epoch == epoch + 1; i++) _k.Chain.ProduceBlock();
        Settle(epoch + 1);
        Assert.Equal((70UL, 2UL), Figures(epoch + 1, 1));
        Assert.Equal((9UL, 2UL), Figures(epoch + 1, 2));
        Assert.Equal(2UL, PoolsState.ReadMembership(_k.State, a[2])!.PoolOf(epoch + 2));
        Assert.Equal(2UL, PoolsState.ReadMembership(_k.State, a[4])!.PoolOf(epoch + 2));
        Assert.Equal(0UL, PoolsState.ReadMembership(_k.State, a[5])?.PoolOf(epoch + 2) ?? 0);
    }

    private (ulong Poe, ulong Members) Figures(ulong epoch, ulong pool)
    {
        var s = PoolsState.ReadStats(_k.State, epoch, pool) ?? throw new Xunit.Sdk.XunitException($"no stats of pool {pool} in epoch {epoch}");
        return ((ulong)s.Poe, s.Members);
    }

    /// <summary>Blocks until the epoch is settled (bounded: a close of a few members at one step per block takes a dozen blocks).</summary>
    private void Settle(ulong epoch)
    {
        for (var i = 0; i < 60 && EmissionState.ReadTotals(_k.State).EpochsSettled <= epoch; i++) _k.Chain.ProduceBlock();
        Assert.Equal(epoch + 1, EmissionState.ReadTotals(_k.State).EpochsSettled);
    }
}
