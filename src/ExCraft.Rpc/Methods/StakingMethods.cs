using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Staking;
using ExCraft.Core.Encoding;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>The staking methods (docs/rpc.md): validators, the active set, delegations, unbondings, parameters.</summary>
public sealed class StakingMethods(Blockchain chain)
{
    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("ext_getValidators", (p, _) => Validators(p.Bool(0, "include candidates", true)));
        registry.Add("ext_getValidator", (p, _) => StakingState.ReadValidator(chain.State, p.Address(0, "operator")) is { } v ? Validator(v, StakingState.ReadActiveSet(chain.State)) : null);
        registry.Add("ext_getDelegations", (p, _) => Delegations(p.Address(0, "delegator")));
        registry.Add("ext_getUnbondings", (p, _) => Unbondings(p.Address(0, "delegator")));
        registry.Add("ext_getStakingParams", (_, _) => Params());
        registry.Add("ext_getBlockEvents", (p, _) => new JsonArray(chain.GetBlockEvents(p.Height(0, "height", chain.Head.Height)).Select(e => (JsonNode)ChainJson.Event(e)).ToArray()));
    }

    private JsonNode Validators(bool includeCandidates)
    {
        var set = StakingState.ReadActiveSet(chain.State);
        var (epoch, start) = StakingState.ReadEpoch(chain.State);
        var list = StakingState.ReadValidators(chain.State)
            .Where(v => includeCandidates || set.Validators.Any(a => a.Operator == v.Operator))
            .OrderByDescending(v => v.Tokens).ThenBy(v => v.Operator)
            .Select(v => (JsonNode)Validator(v, set)).ToArray();
        return new JsonObject
        {
            ["epoch"] = epoch,
            ["epochStartMs"] = start,
            ["effectiveHeight"] = set.EffectiveHeight,
            ["totalPower"] = set.TotalPower,
            ["active"] = new JsonArray(set.Validators.Select(v => (JsonNode)new JsonObject
            {
                ["operator"] = v.Operator.ToString(),
                ["consensusAddress"] = v.ConsensusAddress.ToString(),
                ["consensusKey"] = Hex.Encode(v.ConsensusKey),
                ["power"] = v.Power,
            }).ToArray()),
            ["validators"] = new JsonArray(list),
        };
    }

    private static JsonObject Validator(ValidatorRecord v, ActiveSet set) => new()
    {
        ["operator"] = v.Operator.ToString(),
        ["consensusAddress"] = v.ConsensusAddress.ToString(),
        ["consensusKey"] = Hex.Encode(v.ConsensusKey),
        ["moniker"] = v.Moniker,
        ["tokens"] = ChainJson.Units(v.Tokens),
        ["power"] = v.Power,
        ["active"] = set.Validators.Any(a => a.Operator == v.Operator),
        ["jailed"] = v.Jailed,
        ["jailedUntilMs"] = v.Jailed && !v.Tombstoned ? v.JailedUntilMs : null,
        ["tombstoned"] = v.Tombstoned,
        ["commissionPpm"] = v.CommissionPpm,
        ["maxCommissionPpm"] = v.MaxCommissionPpm,
        ["maxDailyChangePpm"] = v.MaxDailyChangePpm,
        ["createdHeight"] = v.CreatedHeight,
    };

    private JsonNode Delegations(ExCraft.Core.Address delegator) => new JsonArray(chain.State.IteratePrefix(StakingKeys.DelegationsOf(delegator)).Select(kv =>
    {
        var op = StakingKeys.AddressAt(kv.Key, 21);
        var shares = BinaryPrimitives.ReadUInt128BigEndian(kv.Value);
        var validator = StakingState.ReadValidator(chain.State, op)!;
        return (JsonNode)new JsonObject
        {
            ["delegator"] = delegator.ToString(),
            ["validator"] = op.ToString(),
            ["shares"] = ChainJson.Units(shares),
            ["amount"] = ChainJson.Units(validator.TokensOf(shares)),
        };
    }).ToArray());

    private JsonNode Unbondings(ExCraft.Core.Address delegator) => new JsonArray(chain.State.IteratePrefix(StakingKeys.UnbondingsOf(delegator)).Select(kv => (JsonNode)new JsonObject
    {
        ["delegator"] = delegator.ToString(),
        ["validator"] = StakingKeys.AddressAt(kv.Key, 21).ToString(),
        ["amount"] = ChainJson.Units(BinaryPrimitives.ReadUInt128BigEndian(kv.Value)),
        ["completionMs"] = StakingKeys.TimeAt(kv.Key, 41),
    }).ToArray());

    private JsonObject Params()
    {
        var s = chain.Genesis.Staking;
        return new JsonObject
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
}
