using ExCraft.Chain.Modules.Pools;
using ExCraft.Core;
using ExCraft.Core.Genesis;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Pools;

/// <summary>
/// The pools module's transactions on a real chain: the stake locked and returned one epoch after
/// a delete (exact balances), both delete modes, refusals (no stake, deleted pool, not the
/// master, retained change too fast) that change nothing but the fee, and membership switches.
/// </summary>
public sealed class PoolLifecycleTests : IDisposable
{
    private readonly PoolTestKit _k = new();
    private static readonly UInt128 Fee = TestChain.MinFee;

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Creating_without_the_stake_is_refused_and_changes_nothing_but_the_fee()
    {
        using var mainnet = new PoolTestKit(PoolsParameters.Mainnet); // 30,000 EXT; the accounts hold 1,000
        // The stake is the payload's declared spend: the mempool refuses it before it can cost a fee.
        var submitted = mainnet.Chain.Submit(mainnet.Tx(1, new CreatePoolPayload("whales", 100_000)));
        Assert.False(submitted.Accepted);
        Assert.Contains("insufficient EXT balance", submitted.Error);
        mainnet.Chain.ProduceBlock();
        Assert.Equal(TestChain.StartBalance, mainnet.Balance(1));
        Assert.Null(PoolsState.ReadPool(mainnet.State, 1));
        Assert.Equal(UInt128.Zero, PoolsState.ReadLocked(mainnet.State));
    }

    [Fact]
    public void Delete_evicting_returns_the_stake_at_the_end_of_the_next_epoch_and_refuses_later_joins()
    {
        _k.Ok(0, new CreatePoolPayload("alpha", 100_000));
        Assert.Equal(TestChain.StartBalance - Fee - PoolTestKit.Stake, _k.Balance(0));
        Assert.Equal(PoolTestKit.Stake, PoolsState.ReadLocked(_k.State));
        _k.Ok(1, new JoinPoolPayload(1));
        _k.Ok(2, new JoinPoolPayload(1));
        Assert.Equal(2UL, _k.Pool(1).Members);
        Assert.Equal(new[] { PoolTestKit.Accounts[1], PoolTestKit.Accounts[2] }.Order(), PoolsState.ReadMembers(_k.State, 1)); // in address order

        _k.ToNextEpoch(); // the members count for pool 1 from here
        _k.Ok(0, new DeletePoolPayload(1, 0));
        var deletedIn = _k.Epoch;
        var pool = _k.Pool(1);
        Assert.True(pool.Deleted);
        Assert.Equal(deletedIn, pool.DeletedEpoch);
        Assert.Empty(PoolsState.ReadMembers(_k.State, 1));
        Assert.Null(PoolsState.ReadPoolIdByName(_k.State, "alpha"));
        var m = PoolsState.ReadMembership(_k.State, PoolTestKit.Accounts[1])!;
        Assert.Equal((1UL, 0UL), (m.PoolOf(deletedIn), m.PoolOf(deletedIn + 1))); // evicted from the next epoch on

        var error = _k.Fails(3, new JoinPoolPayload(1));
        Assert.Contains("pool 1 (alpha) was deleted", error);
        Assert.Null(PoolsState.ReadMembership(_k.State, PoolTestKit.Accounts[3]));

        var masterBalance = _k.Balance(0);
        _k.ToNextEpoch(); // the deletion's epoch ends: the stake is still locked; the pool is tallied for it with its members
        Assert.Equal(masterBalance, _k.Balance(0));
        Assert.Equal(2UL, PoolsState.ReadStats(_k.State, deletedIn, 1)!.Members);
        Assert.Null(PoolsState.ReadMembership(_k.State, PoolTestKit.Accounts[1])); // no pool any more: the record is dropped
        Assert.False(_k.Pool(1).StakeReturned);
        Assert.Equal(PoolTestKit.Stake, PoolsState.ReadLocked(_k.State));
        var events = _k.ToNextEpoch(); // one epoch later: returned, exactly
        Assert.Equal(masterBalance + PoolTestKit.Stake, _k.Balance(0));
        Assert.True(_k.Pool(1).StakeReturned);
        Assert.Equal(UInt128.Zero, PoolsState.ReadLocked(_k.State));
        var returned = Assert.Single(events, e => e.Type == PoolsModule.Events.StakeReturned);
        Assert.Equal(PoolTestKit.Stake.ToString(), returned.Get("stake"));
        Assert.Null(PoolsState.ReadStats(_k.State, deletedIn + 1, 1)); // no longer tallied
        _k.ToNextEpoch(); // and it is not paid twice
        Assert.Equal(masterBalance + PoolTestKit.Stake, _k.Balance(0));
    }

    [Fact]
    public void Delete_moving_members_puts_them_in_the_target_pool_from_the_next_epoch()
    {
        _k.Ok(0, new CreatePoolPayload("alpha", 100_000));
        _k.Ok(1, new CreatePoolPayload("beta", 0));
        _k.Ok(2, new JoinPoolPayload(1));
        _k.Ok(3, new JoinPoolPayload(1));
        _k.Ok(4, new JoinPoolPayload(2));
        _k.ToNextEpoch();
        var epoch = _k.Epoch;
        Assert.Contains("only pool 1's master", _k.Fails(1, new DeletePoolPayload(1, 2)));
        Assert.Contains("pool 9 does not exist", _k.Fails(0, new DeletePoolPayload(1, 9)));
        Assert.False(_k.Pool(1).Deleted);

        _k.Ok(0, new DeletePoolPayload(1, 2));
        Assert.Equal(0UL, _k.Pool(1).Members);
        Assert.Equal(3UL, _k.Pool(2).Members);
        foreach (var i in new[] { 2, 3 })
        {
            var m = PoolsState.ReadMembership(_k.State, PoolTestKit.Accounts[i])!;
            Assert.Equal(1UL, m.PoolOf(epoch)); // this epoch's PoE stays with the deleted pool
            Assert.Equal(2UL, m.PoolOf(epoch + 1));
        }
        Assert.True(PoolsState.IsMember(_k.State, 2, PoolTestKit.Accounts[2]));
        // The name is free again, for a new pool with a new id.
        _k.Ok(5, new CreatePoolPayload("alpha", 0));
        Assert.Equal(3UL, PoolsState.ReadPoolIdByName(_k.State, "alpha"));

        // The deleted pool is still tallied for its last epoch, with the members it had then.
        _k.ToNextEpoch();
        var stats = PoolsState.ReadStats(_k.State, epoch, 1)!;
        Assert.Equal(2UL, stats.Members);
        Assert.Equal(1UL, PoolsState.ReadStats(_k.State, epoch, 2)!.Members); // beta had only account 4 then; 2 and 3 count from the next epoch
        _k.ToNextEpoch();
        Assert.Equal(3UL, PoolsState.ReadStats(_k.State, epoch + 1, 2)!.Members);
        Assert.Null(PoolsState.ReadStats(_k.State, epoch + 1, 1)); // a pool deleted earlier is no longer tallied
    }

    [Fact]
    public void A_switch_counts_from_the_next_epoch()
    {
        _k.Ok(0, new CreatePoolPayload("alpha", 0));
        _k.Ok(1, new CreatePoolPayload("beta", 0));
        _k.Ok(4, new JoinPoolPayload(1));
        var e0 = _k.Epoch;
        _k.ToNextEpoch();
        Assert.Equal(0UL, PoolsState.ReadStats(_k.State, e0, 1)!.Members); // joined during e0: counts from e0 + 1
        var e1 = _k.Epoch;
        _k.Poe[(e1, PoolTestKit.Accounts[4])] = 700;
        _k.Poe[(e1 + 1, PoolTestKit.Accounts[4])] = 900;
        _k.Ok(4, new JoinPoolPayload(2)); // switch during e1
        _k.Ok(4, new LeavePoolPayload()); // and leave, in the same epoch: e1 still belongs to alpha
        _k.Ok(4, new JoinPoolPayload(2));
        Assert.Contains("already a member of pool 2", _k.Fails(4, new JoinPoolPayload(2)));
        _k.ToNextEpoch();
        Assert.Equal((UInt128)700, PoolsState.ReadStats(_k.State, e1, 1)!.Poe);
        Assert.Equal(1UL, PoolsState.ReadStats(_k.State, e1, 1)!.Members);
        Assert.Equal(UInt128.Zero, PoolsState.ReadStats(_k.State, e1, 2)!.Poe);
        _k.ToNextEpoch();
        Assert.Equal(UInt128.Zero, PoolsState.ReadStats(_k.State, e1 + 1, 1)!.Poe);
        Assert.Equal((UInt128)900, PoolsState.ReadStats(_k.State, e1 + 1, 2)!.Poe);
        Assert.Equal(1UL, PoolsState.ReadStats(_k.State, e1 + 1, 2)!.Members);
    }

    [Fact]
    public void The_retained_percentage_moves_at_most_the_limit_per_epoch()
    {
        _k.Ok(0, new CreatePoolPayload("alpha", 100_000));
        _k.Ok(0, new UpdatePoolPayload(1, 130_000));
        _k.Ok(0, new UpdatePoolPayload(1, 150_000)); // 5 points from where the epoch began
        var error = _k.Fails(0, new UpdatePoolPayload(1, 150_001));
        Assert.Contains("at most 50000 ppm per epoch", error);
        Assert.Equal(150_000u, _k.Pool(1).RetainedPpm);
        Assert.Contains("only pool 1's master", _k.Fails(1, new UpdatePoolPayload(1, 120_000)));
        _k.ToNextEpoch();
        _k.Ok(0, new UpdatePoolPayload(1, 200_000));
        Assert.Equal(200_000u, _k.Pool(1).RetainedPpm);
        Assert.Equal("retained percentage is at most 1000000 ppm (100%), got 1000001",
            Modules.ModuleRegistry.CheckStateless(new UpdatePoolPayload(1, 1_000_001)));
    }
}
