using ExCraft.Core;

namespace ExCraft.Consensus.Tests;

public class ValidatorSetTests
{
    private static readonly Address[] Addresses = TestKeys.Keys(8).Select(k => k.Address).ToArray();

    [Fact]
    public void Sorted_by_address_and_rejects_bad_input()
    {
        var set = new ValidatorSet(Addresses.Select((a, i) => (a, (ulong)(i + 1))));
        Assert.Equal(Addresses.Order().ToArray(), set.Validators.Select(v => v.Address).ToArray());
        Assert.Equal(36UL, set.TotalPower);
        Assert.Equal(3UL, set.PowerOf(Addresses[2]));
        Assert.Equal(0UL, set.PowerOf(Address.Zero));
        Assert.Throws<ArgumentException>(() => new ValidatorSet(Array.Empty<(Address, ulong)>()));
        Assert.Throws<ArgumentException>(() => new ValidatorSet([(Addresses[0], 1UL), (Addresses[0], 2UL)]));
        Assert.Throws<ArgumentException>(() => new ValidatorSet([(Addresses[0], 0UL)]));
        Assert.Throws<ArgumentException>(() => new ValidatorSet([(Addresses[0], ulong.MaxValue), (Addresses[1], 1UL)]));
    }

    [Fact]
    public void Thresholds_are_exact()
    {
        var four = new ValidatorSet(Addresses[..4].Select(a => (a, 1UL)));
        Assert.False(four.IsQuorum(2));
        Assert.True(four.IsQuorum(3));
        Assert.False(four.IsMoreThanOneThird(1));
        Assert.True(four.IsMoreThanOneThird(2));
        var three = new ValidatorSet(Addresses[..3].Select(a => (a, 1UL)));
        Assert.False(three.IsQuorum(2)); // exactly 2/3 is not enough
        Assert.True(three.IsQuorum(3));
        Assert.False(three.IsMoreThanOneThird(1)); // exactly 1/3 is not enough
        var huge = new ValidatorSet([(Addresses[0], ulong.MaxValue / 2), (Addresses[1], ulong.MaxValue / 2)]);
        var total = huge.TotalPower; // 3k + 2: no overflow in 3 * power or 2 * total
        Assert.True(huge.IsQuorum(total / 3 * 2 + 2));
        Assert.False(huge.IsQuorum(total / 3 * 2));
        Assert.True(huge.IsQuorum(total));
    }

    [Fact]
    public void Proposer_frequencies_are_exact_over_a_cycle()
    {
        ulong[] powers = [1, 2, 3, 4, 7];
        var set = new ValidatorSet(Addresses[..5].Select((a, i) => (a, powers[i])));
        Assert.Equal(17, set.ProposerCycleLength);
        for (var start = 1UL; start <= 40; start += 13)
        {
            var counts = new Dictionary<Address, int>();
            for (var h = start; h < start + 17 * 3; h++) counts[set.Proposer(h, 0)] = counts.GetValueOrDefault(set.Proposer(h, 0)) + 1;
            for (var i = 0; i < 5; i++) Assert.Equal((int)powers[i] * 3, counts[Addresses[i]]);
        }
        // Weighted round robin spreads a validator's turns: the heaviest (7 of 17) never proposes 3 times in a row.
        var sequence = Enumerable.Range(1, 17).Select(h => set.Proposer((ulong)h, 0)).ToList();
        for (var i = 0; i + 2 < sequence.Count; i++) Assert.False(sequence[i] == sequence[i + 1] && sequence[i] == sequence[i + 2]);
    }

    [Fact]
    public void Proposer_frequencies_follow_power_over_many_heights()
    {
        ulong[] powers = [10, 20, 30, 40];
        var set = new ValidatorSet(Addresses[..4].Select((a, i) => (a, powers[i])));
        Assert.Equal(10, set.ProposerCycleLength); // gcd 10
        var counts = new Dictionary<Address, int>();
        for (var h = 1UL; h <= 10_000; h++) counts[set.Proposer(h, 0)] = counts.GetValueOrDefault(set.Proposer(h, 0)) + 1;
        for (var i = 0; i < 4; i++) Assert.Equal((int)(powers[i] / 10) * 1000, counts[Addresses[i]]);
    }

    [Fact]
    public void Equal_powers_rotate()
    {
        var set = new ValidatorSet(Addresses[..4].Select(a => (a, 5UL)));
        var sorted = set.Validators.Select(v => v.Address).ToArray();
        for (var h = 1UL; h <= 12; h++) Assert.Equal(sorted[(int)((h - 1) % 4)], set.Proposer(h, 0));
        // Round r of height h is the proposer of step h - 1 + r.
        Assert.Equal(set.Proposer(5, 0), set.Proposer(3, 2));
        Assert.Equal(set.Proposer(1, 0), set.Proposer(1, 4));
    }

    [Fact]
    public void Proposer_is_independent_of_input_order()
    {
        var rng = new Random(7);
        var entries = Addresses.Select((a, i) => (a, (ulong)rng.Next(1, 1_000_000) * 1_000_000_000_000UL)).ToArray();
        var shuffled = entries.OrderBy(_ => rng.Next()).ToArray();
        var a = new ValidatorSet(entries);
        var b = new ValidatorSet(shuffled);
        for (var h = 1UL; h < 3000; h += 7)
        {
            for (var r = 0; r < 5; r++) Assert.Equal(a.Proposer(h, r), b.Proposer(h, r));
        }
        Assert.Equal(a.Proposer(ulong.MaxValue, int.MaxValue), b.Proposer(ulong.MaxValue, int.MaxValue));
    }

    [Fact]
    public void Large_stakes_are_scaled_to_a_bounded_cycle_with_proportional_frequencies()
    {
        var rng = new Random(11);
        var powers = Addresses.Select(_ => (ulong)rng.NextInt64(1, 1L << 50) * 1000 + (ulong)rng.Next(1, 999)).ToArray();
        var set = new ValidatorSet(Addresses.Select((a, i) => (a, powers[i])));
        Assert.InRange(set.ProposerCycleLength, ValidatorSet.MaxProposerCycle - Addresses.Length, ValidatorSet.MaxProposerCycle + Addresses.Length);
        var counts = new Dictionary<Address, int>();
        for (var h = 1UL; h <= (ulong)set.ProposerCycleLength; h++) counts[set.Proposer(h, 0)] = counts.GetValueOrDefault(set.Proposer(h, 0)) + 1;
        var total = (double)set.TotalPower;
        for (var i = 0; i < Addresses.Length; i++)
        {
            var expected = powers[i] / total * set.ProposerCycleLength;
            Assert.InRange(counts.GetValueOrDefault(Addresses[i]), expected - 2, expected + 2);
        }
    }
}
