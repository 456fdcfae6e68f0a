using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Staking;
using ExCraft.Core.Encoding;
using ExCraft.Core.Genesis;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>The staking methods (docs/rpc.md): validators, the active set, delegations, unbondings, parameters.</summary>
public sealed class StakingMethods(Blockchain chain)
{
    private StakingQueries Queries => new(chain.State, chain.Genesis.Staking);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("ext_getValidators", 1, (p, _) => Validators(Queries.Validators(p.Bool(0, "include candidates", true))));
        registry.Add("ext_getValidator", 1, (p, _) => Queries.Validator(p.Address(0, "operator")) is { } v ? Validator(v) : null);
        registry.Add("ext_getDelegations", 1, (p, _) => new JsonArray(Queries.Delegations(p.Address(0, "delegator")).Select(d => (JsonNode)Delegation(d)).ToArray()));
        registry.Add("ext_getUnbondings", 1, (p, _) => new JsonArray(Queries.Unbondings(p.Address(0, "delegator")).Select(u => (JsonNode)Unbonding(u)).ToArray()));
        registry.Add("ext_getStakingParams", 0, (_, _) => Params(Queries.Params()));
        registry.Add("ext_getBlockEvents", 1, (p, _) => new JsonArray(chain.GetBlockEvents(p.Height(0, "height", chain.Head.Height)).Select(e => (JsonNode)ChainJson.Event(e)).ToArray()));
    }

    private static JsonObject Validators(ValidatorSetView set) => new()
    {
        ["epoch"] = set.Epoch,
        ["epochStartMs"] = set.EpochStartMs,
        ["effectiveHeight"] = set.EffectiveHeight,
        ["totalPower"] = set.TotalPower,
        ["active"] = new JsonArray(set.Active.Select(v => (JsonNode)new JsonObject
        {
            ["operator"] = v.Operator.ToString(),
            ["consensusAddress"] = v.ConsensusAddress.ToString(),
            ["consensusKey"] = Hex.Encode(v.ConsensusKey),
            ["power"] = v.Power,
        }).ToArray()),
        ["validators"] = new JsonArray(set.Validators.Select(v => (JsonNode)Validator(v)).ToArray()),
    };

    private static JsonObject Validator(ValidatorView view)
    {
        var v = view.Record;
        return new JsonObject
        {
            ["operator"] = v.Operator.ToString(),
            ["consensusAddress"] = v.ConsensusAddress.ToString(),
            ["consensusKey"] = Hex.Encode(v.ConsensusKey),
            ["moniker"] = v.Moniker,
            ["tokens"] = ChainJson.Units(v.Tokens),
            ["power"] = v.Power,
            ["active"] = view.Active,
            ["jailed"] = v.Jailed,
            ["jailedUntilMs"] = v.Jailed && !v.Tombstoned ? v.JailedUntilMs : null,
            ["tombstoned"] = v.Tombstoned,
            ["commissionPpm"] = v.CommissionPpm,
            ["maxCommissionPpm"] = v.MaxCommissionPpm,
            ["maxDailyChangePpm"] = v.MaxDailyChangePpm,
            ["createdHeight"] = v.CreatedHeight,
        };
    }

    private static JsonObject Delegation(DelegationView d) => new()
    {
        ["delegator"] = d.Delegator.ToString(),
        ["validator"] = d.Validator.ToString(),
        ["shares"] = ChainJson.Units(d.Shares),
        ["amount"] = ChainJson.Units(d.Amount),
    };

    private static JsonObject Unbonding(UnbondingView u) => new()
    {
        ["delegator"] = u.Delegator.ToString(),
        ["validator"] = u.Validator.ToString(),
        ["amount"] = ChainJson.Units(u.Amount),
        ["completionMs"] = u.CompletionMs,
    };

    private JsonObject Params(StakingParameters s) => new()
    {
        ["minSelfBond"] = ChainJson.Units(s.MinSelfBond),
        ["maxValidators"] = s.MaxValidators,
        ["epochLengthMs"] = s.EpochLengthMs,
        ["unbondingPeriodMs"] = s.UnbondingPeriodMs,
        ["doubleSignSlashPpm"] = s.DoubleSignSlashPpm,
        ["downtimeSlashPpm"] = s.DowntimeSlashPpm,
        ["downtimeWindowBlocks"] = s.DowntimeWindowBlocks,
        ["downtimeMinSignedPpm"] = s.DowntimeMinSignedPpm,
        ["downtimeJailMs"] = s.DowntimeJailMs,
        ["minFee"] = ChainJson.Units(chain.Genesis.Parameters.MinFee),
        ["powerUnit"] = "1 EXT of bonded stake = 1 voting power",
    };
}
