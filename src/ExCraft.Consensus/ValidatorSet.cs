using ExCraft.Core;

namespace ExCraft.Consensus;

/// <summary>One member of a validator set.</summary>
public readonly record struct Validator(Address Address, ulong Power);

/// <summary>
/// The validators of one height, sorted by address, with their voting power. Thresholds are exact
/// integer comparisons: a quorum is more than 2/3 of the total power (3 * power &gt; 2 * total), a
/// "one third" (the f + 1 of the paper) is more than 1/3 (3 * power &gt; total).
/// <para>
/// Proposer selection is Tendermint's weighted round robin (proposer priority) run from a fixed
/// start, so it is a pure function of the set, the height and the round: start with every priority 0;
/// each step adds every validator's weight to its priority, picks the highest priority (ties: the
/// lower address) and subtracts the total weight from the winner. From the all-zero start the picks
/// repeat with a period of exactly the total weight W and each validator is picked exactly its weight
/// times per period. The proposer of (height, round) is pick number (height - 1 + round) mod W.
/// </para>
/// <para>
/// Weights are the powers divided by their greatest common divisor. If the total is still above
/// <see cref="MaxProposerCycle"/> (stake in base units usually is), weights are scaled to
/// max(1, floor(power * MaxProposerCycle / total)), so frequencies match power to within
/// 1/<see cref="MaxProposerCycle"/> of the total and every validator proposes at least once per cycle.
/// The cycle is computed once per set (at most about 65k steps) and cached.
/// </para>
/// </summary>
public sealed class ValidatorSet
{
    public const int MaxProposerCycle = 1 << 16;

    private readonly Validator[] _validators;
    private readonly Dictionary<Address, int> _index;
    private readonly ulong[] _weights;
    private readonly ulong _cycle;
    private int[]? _sequence;

    public ValidatorSet(IEnumerable<(Address Address, ulong Power)> validators)
    {
        ArgumentNullException.ThrowIfNull(validators);
        var list = validators.Select(v => new Validator(v.Address, v.Power)).ToList();
        if (list.Count == 0) throw new ArgumentException("a validator set needs at least one validator");
        list.Sort((a, b) => a.Address.CompareTo(b.Address));
        _index = new Dictionary<Address, int>(list.Count);
        ulong total = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var v = list[i];
            if (v.Power == 0) throw new ArgumentException($"validator {v.Address} has zero voting power");
            if (!_index.TryAdd(v.Address, i)) throw new ArgumentException($"validator {v.Address} appears twice");
            if (ulong.MaxValue - total < v.Power) throw new ArgumentException("total voting power overflows 64 bits");
            total += v.Power;
        }
        _validators = [.. list];
        TotalPower = total;
        _weights = ProposerWeightsOf(_validators, total);
        foreach (var w in _weights) _cycle += w;
    }

    public ValidatorSet(IEnumerable<Validator> validators) : this(validators.Select(v => (v.Address, v.Power)))
    {
    }

    /// <summary>Sorted by address.</summary>
    public IReadOnlyList<Validator> Validators => _validators;

    public int Count => _validators.Length;

    public ulong TotalPower { get; }

    public bool Contains(Address address) => _index.ContainsKey(address);

    public bool TryGetPower(Address address, out ulong power)
    {
        if (_index.TryGetValue(address, out var i))
        {
            power = _validators[i].Power;
            return true;
        }
        power = 0;
        return false;
    }

    /// <summary>The validator's power, 0 for a non-member.</summary>
    public ulong PowerOf(Address address) => _index.TryGetValue(address, out var i) ? _validators[i].Power : 0;

    /// <summary>More than 2/3 of the total power.</summary>
    public bool IsQuorum(ulong power) => (UInt128)power * 3 > (UInt128)TotalPower * 2;

    /// <summary>More than 1/3 of the total power: at least one honest validator is among them.</summary>
    public bool IsMoreThanOneThird(ulong power) => (UInt128)power * 3 > TotalPower;

    /// <summary>The weights proposer selection uses (same order as <see cref="Validators"/>).</summary>
    public IReadOnlyList<ulong> ProposerWeights => _weights;

    /// <summary>The period of the proposer sequence: the sum of <see cref="ProposerWeights"/>.</summary>
    public int ProposerCycleLength => (int)_cycle;

    /// <summary>The proposer of (height, round); height counts from 1.</summary>
    public Address Proposer(ulong height, int round)
    {
        if (height == 0) throw new ArgumentOutOfRangeException(nameof(height), "consensus heights start at 1");
        if (round < 0) throw new ArgumentOutOfRangeException(nameof(round), "round must not be negative");
        var step = ((height - 1) % _cycle + (ulong)round % _cycle) % _cycle;
        return _validators[Sequence()[(int)step]].Address;
    }

    private int[] Sequence()
    {
        var sequence = Volatile.Read(ref _sequence);
        if (sequence is not null) return sequence;
        sequence = new int[_cycle];
        var priority = new long[_validators.Length];
        var total = (long)_cycle;
        for (var step = 0; step < sequence.Length; step++)
        {
            var best = 0;
            for (var i = 0; i < priority.Length; i++)
            {
                priority[i] += (long)_weights[i];
                // Strictly greater: on a tie the earlier (lower) address stays chosen.
                if (priority[i] > priority[best]) best = i;
            }
            priority[best] -= total;
            sequence[step] = best;
        }
        Volatile.Write(ref _sequence, sequence);
        return sequence;
    }

    private static ulong[] ProposerWeightsOf(Validator[] validators, ulong total)
    {
        var gcd = validators[0].Power;
        foreach (var v in validators) gcd = Gcd(gcd, v.Power);
        var weights = validators.Select(v => v.Power / gcd).ToArray();
        if (total / gcd <= MaxProposerCycle) return weights;
        return validators.Select(v => Math.Max(1UL, (ulong)((UInt128)v.Power * MaxProposerCycle / total))).ToArray();
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
