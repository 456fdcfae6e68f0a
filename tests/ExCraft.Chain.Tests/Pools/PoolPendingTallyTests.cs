using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>
/// An epoch's pools tally runs in the block its PoE report is finished, after the epoch's end
/// (docs/pools.md, "Epoch end"). A membership change made while the tally is pending must not move
/// the epoch's PoE to another pool: the record alone would forget the epoch's pool after two
/// switches, so the switch keeps it for the pending epoch.
/// </summary>
public sealed class PoolPendingTallyTests : IDisposable
{
    private readonly PoolTestKit _k = new();

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Switching_twice_across_an_epoch_end_keeps_the_ended_epochs_poe_with_its_pool()
    {
        var member = PoolTestKit.Accounts[2];
        _k.Ok(0, new CreatePoolPayload("alpha", 100_000));
        _k.Ok(1, new CreatePoolPayload("beta", 100_000));
        _k.Ok(2, new JoinPoolPayload(1));
        _k.ToNextEpoch();
        var epoch = _k.Epoch; // the member counts for pool 1 in this epoch
        _k.Poe[(epoch, member)] = 700;
        _k.Ok(2, new LeavePoolPayload()); // from the next epoch: no pool

        // The epoch's last block: the tally is pending until the next block finishes the PoE report.
        for (var i = 0; i < 50 && _k.Epoch == epoch; i++) _k.Chain.ProduceBlock();
        Assert.Equal(epoch + 1, _k.Epoch);
        Assert.Equal(epoch, EmissionState.ReadTotals(_k.State).EpochsSettled);
        Assert.Equal([(epoch, _k.Chain.Chain.Head.Height)], PoolsState.ReadPendingTallies(_k.State));
        Assert.Null(PoolsState.ReadStats(_k.State, epoch, 1));

        // The next block joins pool 2 (a second switch: the record now says (2, from epoch + 2, previous 0)), then tallies the epoch.
        _k.Ok(2, new JoinPoolPayload(2));
        Assert.Equal(epoch + 1, EmissionState.ReadTotals(_k.State).EpochsSettled);
        Assert.Equal(0UL, PoolsState.ReadMembership(_k.State, member)!.PoolOf(epoch)); // what the record alone would say
        Assert.Equal(700, (int)PoolsState.ReadStats(_k.State, epoch, 1)!.Poe); // the epoch's PoE stayed with pool 1
        Assert.Equal(1UL, PoolsState.ReadStats(_k.State, epoch, 1)!.Members);
        Assert.Equal(0, (int)PoolsState.ReadStats(_k.State, epoch, 2)!.Poe);
        Assert.Equal(0UL, PoolsState.ReadStats(_k.State, epoch, 2)!.Members);
        Assert.Empty(PoolsState.ReadPendingTallies(_k.State));
        Assert.Empty(_k.State.IteratePrefix(PoolsKeys.EpochPools(epoch))); // the kept pool went with the tally
        Assert.Equal(2UL, PoolsState.ReadMembership(_k.State, member)!.PoolOf(epoch + 2));
    }
}
