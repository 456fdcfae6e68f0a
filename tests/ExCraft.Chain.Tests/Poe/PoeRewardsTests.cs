using ExCraft.Chain.Modules.Poe;

namespace ExCraft.Chain.Tests.Poe;

/// <summary>The PoE share's split: pro rata to registered PoE with floors, unregistered entries excluded, the wash guard's cap and what it holds back.</summary>
public sealed class PoeRewardsTests
{
    private const ulong NoCap = 1_000_000_000_000; // a million times the fees: never binding here

    [Fact]
    public void Registered_entries_share_pro_rata_with_floors_and_the_unregistered_dilute_no_one()
    {
        var split = PoeRewards.Compute([(1, true, 1_000), (2, true, 1_000), (500, false, 1_000), (3, true, 1_000)], 100, NoCap);
        Assert.Equal([16, 33, 0, 50], split.Rewards.Select(r => (int)r));
        Assert.Equal((UInt128)99, split.Paid); // 1 unit of rounding dust stays unpaid
        Assert.Equal((UInt128)6, split.EligiblePoe);
        Assert.Equal(UInt128.Zero, split.HeldByGuard);
    }

    [Fact]
    public void The_wash_guard_caps_a_reward_at_its_ratio_of_fees_and_holds_the_excess()
    {
        // Shares 500 and 500; fees 100 and 10,000: caps 90 and 9,000 at 0.9.
        var split = PoeRewards.Compute([(5, true, 100), (5, true, 10_000)], 1_000, 900_000);
        Assert.Equal([90, 500], split.Rewards.Select(r => (int)r));
        Assert.Equal((UInt128)590, split.Paid);
        Assert.Equal((UInt128)410, split.HeldByGuard);
        // A zero-fee account gets nothing at all.
        Assert.Equal(UInt128.Zero, PoeRewards.Compute([(5, true, 0)], 1_000, 900_000).Rewards[0]);
    }

    [Fact]
    public void No_registered_poe_pays_nothing()
    {
        var split = PoeRewards.Compute([(5, false, 100), (0, true, 100)], 1_000, NoCap);
        Assert.All(split.Rewards, r => Assert.Equal(UInt128.Zero, r));
        Assert.Equal(UInt128.Zero, split.Paid);
        Assert.Empty(PoeRewards.Compute([], 1_000, NoCap).Rewards);
    }

    [Fact]
    public void Huge_amounts_do_not_overflow()
    {
        var big = UInt128.MaxValue / 4;
        var split = PoeRewards.Compute([(big, true, big), (big, true, big)], big, NoCap);
        Assert.Equal(big / 2, split.Rewards[0]);
        Assert.True(split.Paid <= big);
    }
}
