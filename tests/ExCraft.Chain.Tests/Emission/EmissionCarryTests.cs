using ExCraft.Chain.Modules.Emission.Schedule;

namespace ExCraft.Chain.Tests.Emission;

public class EmissionCarryTests
{
    private static readonly EmissionTable Table = EmissionTable.Shared;

    /// <summary>
    /// What a module pays out of an available amount: nothing when no one is eligible, otherwise
    /// pro rata to recipient weights with each payment rounded down (the rounding is the carry).
    /// </summary>
    private static UInt128 PayProRata(UInt128 available, IReadOnlyList<ulong> weights)
    {
        if (weights.Count == 0) return 0;
        UInt128 totalWeight = 0;
        foreach (var w in weights) totalWeight += w;
        UInt128 paid = 0;
        foreach (var w in weights) paid += available * w / totalWeight;
        return paid;
    }

    // Deterministic eligibility patterns: PoE misses one cycle in 11, pools are eligible only one
    // cycle in 5, PoS always has three delegators of unequal stake.
    private static IReadOnlyList<ulong> Recipients(EmissionShare share, ulong epoch) => share switch
    {
        EmissionShare.ProofOfExistence => epoch % 11 == 3 ? [] : [3, 5, 7, 11, 13],
        EmissionShare.Pools => epoch % 5 == 0 ? [2, 9] : [],
        EmissionShare.ProofOfStake => [1_000_003, 2_000_029, 4_000_037],
        _ => throw new ArgumentOutOfRangeException(nameof(share)),
    };

    [Theory]
    [InlineData(0UL)]
    [InlineData(5_000UL)]
    public void Over_every_cycle_paid_plus_carried_equals_released_per_share_to_the_base_unit(ulong firstCycle)
    {
        var plan = new EmissionPlan(Table, firstCycle);
        var carry = EmissionCarry.None;
        var scheduledSum = ShareAmounts.Zero;
        var paidSum = ShareAmounts.Zero;
        var skippedCycles = 0;
        for (ulong epoch = 0; epoch < plan.PayingEpochs; epoch++)
        {
            var scheduled = plan.SplitOfEpoch(epoch);
            var available = carry.Available(scheduled);
            var paid = ShareAmounts.Zero;
            foreach (var share in EmissionShares.All)
            {
                var recipients = Recipients(share, epoch);
                if (recipients.Count == 0) skippedCycles++;
                paid = paid.With(share, PayProRata(available[share], recipients));
            }
            carry = carry.Settle(scheduled, paid);
            scheduledSum += scheduled;
            paidSum += paid;
            Assert.Equal(scheduledSum, paidSum + carry.Carried);
        }
        Assert.True(skippedCycles > 20_000);
        Assert.True(carry.Carried.Total > 0);
        Assert.Equal(plan.Total, scheduledSum.Total);

        // After the schedule's end the carry still pays out, to a single eligible recipient each.
        for (var epoch = plan.PayingEpochs; epoch < plan.PayingEpochs + 2; epoch++)
        {
            var scheduled = plan.SplitOfEpoch(epoch);
            Assert.Equal(ShareAmounts.Zero, scheduled);
            var paid = carry.Available(scheduled);
            carry = carry.Settle(scheduled, paid);
            paidSum += paid;
        }
        Assert.Equal(EmissionCarry.None, carry);
        Assert.Equal(plan.Total, paidSum.Total);
        Assert.Equal(scheduledSum, paidSum);
    }

    [Fact]
    public void A_share_with_no_recipient_carries_whole_to_the_next_cycle_of_the_same_share()
    {
        var plan = new EmissionPlan(Table, 0);
        var first = plan.SplitOfEpoch(0);
        var second = plan.SplitOfEpoch(1);
        // Cycle 0: no pool is eligible, PoE and PoS pay everything.
        var carry = EmissionCarry.None.Settle(first, first with { Pools = 0 });
        Assert.Equal(new ShareAmounts(0, first.Pools, 0), carry.Carried);
        // Cycle 1: pools may pay both cycles; the other shares only their own.
        var available = carry.Available(second);
        Assert.Equal(first.Pools + second.Pools, available.Pools);
        Assert.Equal(second.ProofOfExistence, available.ProofOfExistence);
        Assert.Equal(second.ProofOfStake, available.ProofOfStake);
        Assert.Equal(EmissionCarry.None, carry.Settle(second, available));
    }

    [Fact]
    public void Paying_more_than_available_is_refused_and_changes_nothing()
    {
        var carry = new EmissionCarry(new ShareAmounts(10, 20, 30));
        var scheduled = new ShareAmounts(1, 2, 3);
        var error = Assert.Throws<InvalidOperationException>(() => carry.Settle(scheduled, new ShareAmounts(11, 23, 33)));
        Assert.Contains("Pools paid", error.Message);
        Assert.Equal(new ShareAmounts(10, 20, 30), carry.Carried);
        Assert.Equal(new EmissionCarry(new ShareAmounts(0, 1, 2)), carry.Settle(scheduled, new ShareAmounts(11, 21, 31)));
    }

    [Fact]
    public void Carry_round_trips_through_its_state_encoding()
    {
        var carry = new EmissionCarry(new ShareAmounts(UInt128.MaxValue, 1, EmissionTable.TotalBaseUnits));
        var bytes = carry.Encode();
        Assert.Equal(EmissionCarry.EncodedLength, bytes.Length);
        Assert.Equal(carry, EmissionCarry.Decode(bytes));
        Assert.Equal(new byte[48], EmissionCarry.None.Encode());
        Assert.Throws<FormatException>(() => EmissionCarry.Decode(new byte[47]));
    }
}
