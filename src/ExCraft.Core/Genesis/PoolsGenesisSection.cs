using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>
/// The pools module's parameters (SPEC 8, docs/pools.md): the EXT locked to create a pool, the
/// largest change of a pool's retained percentage within one epoch, how many pools can be eligible
/// for rewards (top N by pool PoE) and the verified members an eligible pool needs.
/// </summary>
public sealed record PoolsParameters(UInt128 CreationStake, uint MaxRetainedChangePpm, uint MaxEligiblePools, uint MinVerifiedMembers)
{
    /// <summary>SPEC 8's values: 30,000 EXT, 5 points per epoch (a project decision), the top 101 pools, 100 verified members.</summary>
    public static PoolsParameters Mainnet { get; } = new(Amount.FromWhole(30_000), 50_000, 101, 100);

    public void Validate()
    {
        if (CreationStake == 0) throw new GenesisException("pools creation_stake must be positive");
        if (MaxRetainedChangePpm > 1_000_000) throw new GenesisException("pools max_retained_change_ppm is at most 1000000");
        if (MaxEligiblePools == 0) throw new GenesisException("pools max_eligible_pools must be positive");
    }
}

/// <summary>
/// "modules": {"pools": {"creation_stake": "30000", "max_retained_change_ppm": 50000,
/// "max_eligible_pools": 101, "min_verified_members": 100}}. Absent, or a field left out, is the
/// mainnet value. The stake is an EXT amount (decimal string).
/// </summary>
public static class PoolsGenesisSection
{
    public const string Name = "pools";

    public static PoolsParameters Read(JsonElement? section)
    {
        var d = PoolsParameters.Mainnet;
        if (section is not { } s) return d;
        return new PoolsParameters(
            s.Or("creation_stake", e => Amount.Parse(JsonFields.Text(e)), d.CreationStake),
            s.Or("max_retained_change_ppm", e => e.GetUInt32(), d.MaxRetainedChangePpm),
            s.Or("max_eligible_pools", e => e.GetUInt32(), d.MaxEligiblePools),
            s.Or("min_verified_members", e => e.GetUInt32(), d.MinVerifiedMembers));
    }

    /// <summary>The canonical bytes the genesis hash covers: rlp([creation stake, max change, max eligible, min verified]).</summary>
    public static byte[] Encode(GenesisConfig g) => Rlp.EncodeList(Rlp.EncodeUInt(g.Pools.CreationStake), Rlp.EncodeUInt(g.Pools.MaxRetainedChangePpm),
        Rlp.EncodeUInt(g.Pools.MaxEligiblePools), Rlp.EncodeUInt(g.Pools.MinVerifiedMembers));

    public static JsonObject Write(GenesisConfig g) => new()
    {
        ["creation_stake"] = Amount.Format(g.Pools.CreationStake),
        ["max_retained_change_ppm"] = g.Pools.MaxRetainedChangePpm,
        ["max_eligible_pools"] = g.Pools.MaxEligiblePools,
        ["min_verified_members"] = g.Pools.MinVerifiedMembers,
    };
}
