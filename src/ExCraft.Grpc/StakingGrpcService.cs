using ExCraft.Chain;
using ExCraft.Chain.Modules.Staking;
using Grpc.Core;
using V1 = ExCraft.Grpc.V1;

namespace ExCraft.Grpc;

/// <summary>
/// excraft.v1.StakingService: the staking module's typed queries (the ones JSON-RPC's
/// ext_getValidators, ext_getValidator, ext_getDelegations, ext_getUnbondings and
/// ext_getStakingParams map to JSON), mapped to messages.
/// </summary>
public sealed class StakingGrpcService(Blockchain chain) : V1.StakingService.StakingServiceBase
{
    private StakingQueries Queries => new(chain.State, chain.Genesis.Staking);

    public override Task<V1.ValidatorSet> GetValidators(V1.GetValidatorsRequest request, ServerCallContext context)
    {
        var set = Queries.Validators(includeCandidates: !request.ActiveOnly);
        var message = new V1.ValidatorSet { Epoch = set.Epoch, EpochStartMs = set.EpochStartMs, EffectiveHeight = set.EffectiveHeight, TotalPower = set.TotalPower };
        message.Active.AddRange(set.Active.Select(v => new V1.ActiveValidator
        {
            Operator = v.Operator.ToString(),
            ConsensusAddress = v.ConsensusAddress.ToString(),
            ConsensusKey = ChainMessages.Bytes(v.ConsensusKey),
            Power = v.Power,
        }));
        message.Validators.AddRange(set.Validators.Select(Validator));
        return Task.FromResult(message);
    }

    public override Task<V1.Validator> GetValidator(V1.GetValidatorRequest request, ServerCallContext context)
    {
        var op = GrpcArguments.Address(request.Operator, "operator");
        return Task.FromResult(Validator(Queries.Validator(op) ?? throw GrpcStatus.NotFound($"{op} is not a validator")));
    }

    public override Task<V1.Delegations> GetDelegations(V1.GetDelegationsRequest request, ServerCallContext context)
    {
        var message = new V1.Delegations();
        message.Delegations_.AddRange(Queries.Delegations(GrpcArguments.Address(request.Delegator, "delegator")).Select(d => new V1.Delegation
        {
            Delegator = d.Delegator.ToString(),
            Validator = d.Validator.ToString(),
            Shares = ChainMessages.Units(d.Shares),
            Amount = ChainMessages.Units(d.Amount),
        }));
        return Task.FromResult(message);
    }

    public override Task<V1.Unbondings> GetUnbondings(V1.GetUnbondingsRequest request, ServerCallContext context)
    {
        var message = new V1.Unbondings();
        message.Unbondings_.AddRange(Queries.Unbondings(GrpcArguments.Address(request.Delegator, "delegator")).Select(u => new V1.Unbonding
        {
            Delegator = u.Delegator.ToString(),
            Validator = u.Validator.ToString(),
            Amount = ChainMessages.Units(u.Amount),
            CompletionMs = u.CompletionMs,
        }));
        return Task.FromResult(message);
    }

    public override Task<V1.StakingParams> GetParams(V1.GetParamsRequest request, ServerCallContext context)
    {
        var s = Queries.Params();
        return Task.FromResult(new V1.StakingParams
        {
            MinSelfBond = ChainMessages.Units(s.MinSelfBond),
            MaxValidators = (uint)s.MaxValidators,
            EpochLengthMs = s.EpochLengthMs,
            UnbondingPeriodMs = s.UnbondingPeriodMs,
            DoubleSignSlashPpm = s.DoubleSignSlashPpm,
            DowntimeSlashPpm = s.DowntimeSlashPpm,
            DowntimeWindowBlocks = (ulong)s.DowntimeWindowBlocks,
            DowntimeMinSignedPpm = s.DowntimeMinSignedPpm,
            DowntimeJailMs = s.DowntimeJailMs,
            MinFee = ChainMessages.Units(chain.Genesis.Parameters.MinFee),
        });
    }

    private static V1.Validator Validator(ValidatorView view)
    {
        var v = view.Record;
        var message = new V1.Validator
        {
            Operator = v.Operator.ToString(),
            ConsensusAddress = v.ConsensusAddress.ToString(),
            ConsensusKey = ChainMessages.Bytes(v.ConsensusKey),
            Moniker = v.Moniker,
            Tokens = ChainMessages.Units(v.Tokens),
            Power = v.Power,
            Active = view.Active,
            Jailed = v.Jailed,
            Tombstoned = v.Tombstoned,
            CommissionPpm = v.CommissionPpm,
            MaxCommissionPpm = v.MaxCommissionPpm,
            MaxDailyChangePpm = v.MaxDailyChangePpm,
            CreatedHeight = v.CreatedHeight,
        };
        if (v.Jailed && !v.Tombstoned) message.JailedUntilMs = v.JailedUntilMs;
        return message;
    }
}
