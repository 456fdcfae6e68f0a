using System.Numerics;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>One PoS payment: what an account receives for its stake with one validator, and the commission part of it (when it is the operator).</summary>
public sealed record PosReward(Address Account, Address Validator, UInt128 Stake, UInt128 Reward, UInt128 Commission);

/// <summary>An epoch's PoS payout: the payments in order, their sum, and the eligible stake they were computed over.</summary>
public sealed record PosPayout(IReadOnlyList<PosReward> Rewards, UInt128 Paid, UInt128 EligibleStake);

/// <summary>
/// The PoS share's split among stakers (SPEC 8, docs/emission.md). Eligible stake: every
/// delegation (self-bonds included) of a registered account to a validator that is not jailed,
/// valued at the validator's current tokens per share. Each eligible delegation's gross reward is
/// floor(available * stake / total eligible stake); the validator's operator takes its commission
/// rate of every other delegator's gross reward (if the operator is registered; otherwise that
/// commission is not paid and carries over). Unregistered stake and jailed validators' stake are
/// not in the total, so they dilute no one. What rounding leaves is carried by the caller.
/// Integers only; delegations in (validator, delegator) order, so the event order is fixed.
/// </summary>
public static class ProofOfStakeRewards
{
    public static PosPayout Compute(IStateReader state, UInt128 available)
    {
        var validators = StakingState.ReadValidators(state).Where(v => !v.Jailed).ToDictionary(v => v.Operator);
        var eligible = StakingState.ReadAllDelegations(state)
            .Where(d => validators.ContainsKey(d.Validator) && AccountState.ReadRegistered(state, d.Delegator))
            .Select(d => (d.Delegator, Validator: validators[d.Validator], Stake: validators[d.Validator].TokensOf(d.Shares)))
            .Where(d => d.Stake > 0)
            .OrderBy(d => d.Validator.Operator).ThenBy(d => d.Delegator)
            .ToList();
        var total = eligible.Aggregate(UInt128.Zero, (sum, d) => Amount.Add(sum, d.Stake));
        if (total == 0 || available == 0) return new PosPayout([], 0, total);

        // Accumulate per (account, validator) so an operator's own reward and its commission from that validator are one payment.
        var payments = new SortedDictionary<(Address Validator, Address Account), (UInt128 Stake, UInt128 Reward, UInt128 Commission)>();
        void Add(Address validator, Address account, UInt128 stake, UInt128 reward, UInt128 commission)
        {
            var key = (validator, account);
            payments.TryGetValue(key, out var p);
            payments[key] = (Amount.Add(p.Stake, stake), Amount.Add(p.Reward, reward), Amount.Add(p.Commission, commission));
        }
        foreach (var (delegator, validator, stake) in eligible)
        {
            var gross = (UInt128)((BigInteger)available * stake / total);
            var op = validator.Operator;
            if (delegator == op)
            {
                Add(op, op, stake, gross, 0);
                continue;
            }
            var commission = Ppm.Of(gross, validator.CommissionPpm);
            Add(op, delegator, stake, gross - commission, 0);
            if (commission > 0 && AccountState.ReadRegistered(state, op)) Add(op, op, 0, commission, commission);
        }
        var rewards = payments.Where(p => p.Value.Reward > 0)
            .Select(p => new PosReward(p.Key.Account, p.Key.Validator, p.Value.Stake, p.Value.Reward, p.Value.Commission)).ToList();
        return new PosPayout(rewards, rewards.Aggregate(UInt128.Zero, (sum, r) => Amount.Add(sum, r.Reward)), total);
    }
}
