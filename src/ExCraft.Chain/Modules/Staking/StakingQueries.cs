using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>A validator candidate and whether it is in the current active set.</summary>
public sealed record ValidatorView(ValidatorRecord Record, bool Active);

/// <summary>
/// The validator set as of the committed state: the epoch and when it started, the active set
/// (effective from EffectiveHeight) and the candidates (by tokens descending, then operator).
/// </summary>
public sealed record ValidatorSetView(ulong Epoch, ulong EpochStartMs, ulong EffectiveHeight, ulong TotalPower, IReadOnlyList<ActiveValidator> Active, IReadOnlyList<ValidatorView> Validators);

/// <summary>A delegation: shares held and what they are worth now, in EXT base units.</summary>
public sealed record DelegationView(Address Delegator, Address Validator, UInt128 Shares, UInt128 Amount);

/// <summary>EXT on its way back to the delegator's balance at CompletionMs.</summary>
public sealed record UnbondingView(Address Delegator, Address Validator, UInt128 Amount, ulong CompletionMs);

/// <summary>
/// The staking module's read API over any state reader. JSON-RPC and gRPC map these records to
/// their wire shapes; the key layout is parsed only here and in <see cref="StakingState"/>.
/// </summary>
public sealed class StakingQueries(IStateReader state, StakingParameters parameters)
{
    /// <summary>The active set and the candidates; with includeCandidates false only the active ones.</summary>
    public ValidatorSetView Validators(bool includeCandidates = true)
    {
        var set = StakingState.ReadActiveSet(state);
        var (epoch, start) = EpochClock.Read(state);
        var list = StakingState.ReadValidators(state)
            .Select(v => new ValidatorView(v, IsActive(set, v.Operator)))
            .Where(v => includeCandidates || v.Active)
            .OrderByDescending(v => v.Record.Tokens).ThenBy(v => v.Record.Operator)
            .ToList();
        return new ValidatorSetView(epoch, start, set.EffectiveHeight, set.TotalPower, set.Validators, list);
    }

    /// <summary>One validator by operator address; null when it is not a validator.</summary>
    public ValidatorView? Validator(Address op) =>
        StakingState.ReadValidator(state, op) is { } v ? new ValidatorView(v, IsActive(StakingState.ReadActiveSet(state), op)) : null;

    /// <summary>The delegator's delegations, in validator address order.</summary>
    public IReadOnlyList<DelegationView> Delegations(Address delegator) =>
        StakingState.ReadDelegations(state, delegator).Select(d =>
        {
            var validator = StakingState.ReadValidator(state, d.Validator)!;
            return new DelegationView(delegator, d.Validator, d.Shares, validator.TokensOf(d.Shares));
        }).ToList();

    /// <summary>The delegator's pending unbondings, by validator then completion time.</summary>
    public IReadOnlyList<UnbondingView> Unbondings(Address delegator) =>
        StakingState.ReadUnbondings(state, delegator).Select(u => new UnbondingView(delegator, u.Validator, u.Amount, u.CompletionMs)).ToList();

    public StakingParameters Params() => parameters;

    private static bool IsActive(ActiveSet set, Address op) => set.Validators.Any(a => a.Operator == op);
}
