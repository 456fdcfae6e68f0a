using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Emission;
using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>The emission module's methods (docs/rpc.md, docs/emission.md): the supply breakdown, one cycle, a range of cycles, an account's PoS rewards.</summary>
public sealed class EmissionMethods(Blockchain chain, EmissionModule module)
{
    private EmissionQueries Queries => module.Queries(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("emission_getSupply", 0, (_, _) => Supply(Queries.Supply()));
        registry.Add("emission_getCycle", 1, (p, _) => Cycle(Queries.Cycle(CycleParam(p, 0, "cycle"))));
        registry.Add("emission_getRange", 2, (p, _) =>
        {
            var first = CycleParam(p, 0, "first");
            var last = CycleParam(p, 1, "last");
            if (first > last) throw new RpcException(RpcErrorCodes.InvalidParams, $"emission_getRange: first cycle {first} is after last cycle {last}");
            var r = Queries.Range(first, last);
            return new JsonObject
            {
                ["first"] = r.First,
                ["last"] = r.Last,
                ["release"] = ChainJson.Units(r.Release),
                ["paidElsewhere"] = ChainJson.Units(r.PaidElsewhere),
                ["split"] = Shares(r.Split),
            };
        });
        registry.Add("emission_getRewards", 1, (p, _) =>
        {
            var r = Queries.Rewards(p.Address(0, "account"));
            return new JsonObject { ["account"] = r.Account.ToString(), ["total"] = ChainJson.Units(r.Total), ["lastEpoch"] = r.LastEpoch };
        });
    }

    /// <summary>A schedule cycle, 0..74,036, as a JSON number; anything else is -32602 naming the range.</summary>
    private static ulong CycleParam(RpcParams p, int index, string name)
    {
        var value = p.Required(index, name);
        if (value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetUInt64(out var cycle) && cycle <= EmissionCurve.LastCycle) return cycle;
        throw new RpcException(RpcErrorCodes.InvalidParams, $"emission: parameter {index} ({name}) must be a cycle number from 0 to {EmissionCurve.LastCycle}");
    }

    private static JsonObject Supply(SupplyView s) => new()
    {
        ["supply"] = ChainJson.Units(s.Supply),
        ["hardCap"] = ChainJson.Units(s.HardCap),
        ["genesis"] = ChainJson.Units(s.Genesis),
        ["emitted"] = Shares(s.Minted),
        ["released"] = Shares(s.Released),
        ["carried"] = Shares(s.Carried),
        ["burned"] = ChainJson.Units(s.Burned),
        ["bridgedIn"] = ChainJson.Units(s.BridgedIn),
        ["bridgedOut"] = ChainJson.Units(s.BridgedOut),
        ["bonded"] = ChainJson.Units(s.Bonded),
        ["unbonding"] = ChainJson.Units(s.Unbonding),
        ["htlcEscrow"] = ChainJson.Units(s.HtlcEscrow),
        ["swapOfferEscrow"] = ChainJson.Units(s.SwapOfferEscrow),
        ["poolStakes"] = ChainJson.Units(s.PoolStakes),
        ["circulating"] = ChainJson.Units(s.Circulating),
        ["epochsSettled"] = s.EpochsSettled,
        ["firstCycle"] = s.FirstCycle,
    };

    private static JsonObject Cycle(CycleView c) => new()
    {
        ["cycle"] = c.Cycle,
        ["release"] = ChainJson.Units(c.Release),
        ["epoch"] = c.Epoch,
        ["split"] = c.Split is { } split ? Shares(split) : null,
    };

    /// <summary>Per-share amounts with their total, base units as decimal strings.</summary>
    private static JsonObject Shares(ShareAmounts a) => new()
    {
        ["poe"] = ChainJson.Units(a.ProofOfExistence),
        ["pools"] = ChainJson.Units(a.Pools),
        ["pos"] = ChainJson.Units(a.ProofOfStake),
        ["total"] = ChainJson.Units(a.Total),
    };
}
