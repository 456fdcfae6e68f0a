using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Chain;
using ExCraft.Chain.Modules.Pools;
using ExCraft.Core;
using ExCraft.Rpc.JsonRpc;

namespace ExCraft.Rpc.Methods;

/// <summary>
/// The pools module's methods (docs/rpc.md, docs/pools.md): pools ranked by a closed epoch's
/// record, one pool, its members, its per-epoch records and rewards, an account's membership,
/// the parameters. A pool is named by its id (a number) or its name (a string, live pools only).
/// </summary>
public sealed class PoolMethods(Blockchain chain, PoolsModule module)
{
    private PoolsQueries Queries => module.Queries(chain.State);

    public void Register(RpcMethodRegistry registry)
    {
        registry.Add("pool_list", 2, (p, _) =>
        {
            var q = Queries;
            var epoch = ClosedEpoch(p, 0, q);
            return new JsonObject
            {
                ["epoch"] = epoch,
                ["pools"] = new JsonArray(epoch is { } e ? q.Ranked(e, p.Bool(1, "includeDeleted", false)).Select(v => (JsonNode)Pool(v.Pool, v.Stats)).ToArray()
                    : q.Ranked(ulong.MaxValue, p.Bool(1, "includeDeleted", false)).Select(v => (JsonNode)Pool(v.Pool, null)).ToArray()),
            };
        });
        registry.Add("pool_get", 1, (p, _) =>
        {
            var q = Queries;
            if (PoolOf(p, 0, q) is not { } pool) return null;
            var epoch = q.CurrentEpoch;
            var json = Pool(pool, epoch == 0 ? null : PoolsState.ReadStats(chain.State, epoch - 1, pool.Id));
            json["epoch"] = epoch == 0 ? null : epoch - 1;
            return json;
        });
        registry.Add("pool_members", 3, (p, _) =>
        {
            var q = Queries;
            var pool = PoolOf(p, 0, q) ?? throw new RpcException(RpcErrorCodes.InvalidParams, "pool_members: no such pool");
            var limit = p.Int(1, "limit", PoolsQueries.MaxPageSize, 1, PoolsQueries.MaxPageSize);
            Address? after = p.Optional(2) is null ? null : p.Address(2, "after");
            var members = q.Members(pool.Id, limit, after);
            return new JsonObject
            {
                ["pool"] = pool.Id,
                ["members"] = new JsonArray(members.Select(m => (JsonNode)Membership(m)).ToArray()),
                ["next"] = members.Count == limit ? members[^1].Account.ToString() : null,
            };
        });
        registry.Add("pool_rewards", 3, (p, _) =>
        {
            var q = Queries;
            var pool = PoolOf(p, 0, q) ?? throw new RpcException(RpcErrorCodes.InvalidParams, "pool_rewards: no such pool");
            var current = q.CurrentEpoch;
            ulong? given = p.Optional(2) is null ? null : UInt64(p, 2, "toEpoch");
            if (given is null && current == 0) return new JsonArray(); // nothing closed yet
            var to = given ?? current - 1;
            var from = p.Optional(1) is null ? (to + 1 > PoolsQueries.MaxEpochRange ? to + 1 - PoolsQueries.MaxEpochRange : 0) : UInt64(p, 1, "fromEpoch");
            if (from > to) throw new RpcException(RpcErrorCodes.InvalidParams, $"pool_rewards: fromEpoch {from} is after toEpoch {to}");
            if (to - from >= PoolsQueries.MaxEpochRange) throw new RpcException(RpcErrorCodes.InvalidParams, $"pool_rewards: at most {PoolsQueries.MaxEpochRange} epochs at once");
            return new JsonArray(q.Rewards(pool.Id, from, to).Select(s => (JsonNode)Stats(s, q.Contributions(s.Epoch, s.Pool))).ToArray());
        });
        registry.Add("pool_membership", 1, (p, _) => Membership(Queries.Membership(p.Address(0, "account"))));
        registry.Add("pool_params", 0, (_, _) =>
        {
            var q = Queries;
            return new JsonObject
            {
                ["creationStake"] = ChainJson.Units(q.Params.CreationStake),
                ["maxRetainedChangePpm"] = q.Params.MaxRetainedChangePpm,
                ["maxEligiblePools"] = q.Params.MaxEligiblePools,
                ["minVerifiedMembers"] = q.Params.MinVerifiedMembers,
                ["locked"] = ChainJson.Units(q.Locked()),
            };
        });
    }

    // The closed epoch a listing reads: the parameter, or the last closed one (none while epoch 0 runs).
    private static ulong? ClosedEpoch(RpcParams p, int index, PoolsQueries q)
    {
        var current = q.CurrentEpoch;
        if (p.Optional(index) is null) return current == 0 ? null : current - 1;
        var epoch = UInt64(p, index, "epoch");
        return epoch < current ? epoch : throw new RpcException(RpcErrorCodes.InvalidParams, $"pool_list: epoch {epoch} is not closed yet (the current epoch is {current})");
    }

    private static PoolRecord? PoolOf(RpcParams p, int index, PoolsQueries q)
    {
        var value = p.Required(index, "pool");
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var id)) return q.Get(id);
        if (value.ValueKind == JsonValueKind.String) return q.GetByName(value.GetString()!);
        throw new RpcException(RpcErrorCodes.InvalidParams, $"parameter {index} (pool) must be a pool id (number) or a live pool's name (string)");
    }

    private static ulong UInt64(RpcParams p, int index, string name) =>
        p.Required(index, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetUInt64(out var n)
            ? n : throw new RpcException(RpcErrorCodes.InvalidParams, $"parameter {index} ({name}) must be a non-negative integer");

    private static JsonObject Pool(PoolRecord pool, PoolEpochStats? stats) => new()
    {
        ["id"] = pool.Id,
        ["name"] = pool.Name,
        ["master"] = pool.Master.ToString(),
        ["retainedPpm"] = pool.RetainedPpm,
        ["stake"] = ChainJson.Units(pool.Stake),
        ["members"] = pool.Members,
        ["createdEpoch"] = pool.CreatedEpoch,
        ["createdHeight"] = pool.CreatedHeight,
        ["status"] = pool.Deleted ? "deleted" : "active",
        ["deletedEpoch"] = pool.Deleted ? pool.DeletedEpoch : null,
        ["stakeReturned"] = pool.StakeReturned,
        ["poe"] = stats is null ? "0" : ChainJson.Units(stats.Poe),
        ["epochMembers"] = stats?.Members ?? 0,
        ["verifiedMembers"] = stats?.VerifiedMembers ?? 0,
        ["rank"] = stats is { Rank: > 0 } ? stats.Rank : null,
        ["eligible"] = stats?.Eligible ?? false,
        ["reward"] = stats is null ? "0" : ChainJson.Units(stats.Reward),
    };

    private static JsonObject Stats(PoolEpochStats s, IReadOnlyList<PoolContribution> contributions) => new()
    {
        ["epoch"] = s.Epoch,
        ["pool"] = s.Pool,
        ["master"] = s.Master.ToString(),
        ["retainedPpm"] = s.RetainedPpm,
        ["poe"] = ChainJson.Units(s.Poe),
        ["members"] = s.Members,
        ["verifiedMembers"] = s.VerifiedMembers,
        ["rank"] = s.Rank > 0 ? s.Rank : null,
        ["eligible"] = s.Eligible,
        ["reward"] = ChainJson.Units(s.Reward),
        ["masterReward"] = ChainJson.Units(s.MasterReward),
        ["membersReward"] = ChainJson.Units(s.MembersReward),
        ["payments"] = s.Payments,
        ["contributions"] = new JsonArray(contributions.Select(c => (JsonNode)new JsonObject
        {
            ["account"] = c.Account.ToString(), ["poe"] = ChainJson.Units(c.Poe), ["registered"] = c.Registered, ["reward"] = ChainJson.Units(c.Reward),
        }).ToArray()),
    };

    private static JsonObject Membership(MembershipView m) => new()
    {
        ["account"] = m.Account.ToString(),
        ["epoch"] = m.Epoch,
        ["poolNow"] = m.PoolNow == 0 ? null : m.PoolNow,
        ["poolNext"] = m.PoolNext == 0 ? null : m.PoolNext,
        ["nextFromEpoch"] = m.PoolNext == m.PoolNow ? null : m.NextFromEpoch,
    };
}
