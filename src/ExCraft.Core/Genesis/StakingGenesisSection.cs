using System.Text.Json;
using System.Text.Json.Nodes;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>
/// The staking module's genesis section, "modules": {"staking": {"params": {...}, "validators": [...]}}.
/// Parameters left out keep their mainnet values; EXT amounts are decimal token strings. Absent,
/// it is mainnet parameters and no validators (which fails validation: a chain needs one).
/// </summary>
public static class StakingGenesisSection
{
    public const string Name = "staking";

    public static (StakingParameters Parameters, IReadOnlyList<GenesisValidator> Validators) Read(JsonElement? section, int extDecimals)
    {
        if (section is not { } s) return (StakingParameters.Mainnet, []);
        var parameters = ReadParameters(s.Or("params", e => (JsonElement?)e, null), extDecimals);
        var validators = s.Field("validators", e => e.EnumerateArray()).Select(v => new GenesisValidator(
            v.Field("address", e => Address.Parse(JsonFields.Text(e))),
            v.Field("public_key", e => Hex.Decode(JsonFields.Text(e))),
            v.Field("self_bond", e => Amount.Parse(JsonFields.Text(e), extDecimals)),
            v.Or("moniker", JsonFields.Text, ""))).ToList();
        return (parameters, validators);
    }

    private static StakingParameters ReadParameters(JsonElement? section, int ext)
    {
        var d = StakingParameters.Mainnet;
        if (section is not { } s) return d;
        return new StakingParameters(
            s.Or("min_self_bond", e => Amount.Parse(JsonFields.Text(e), ext), d.MinSelfBond),
            s.Or("max_validators", e => e.GetInt32(), d.MaxValidators),
            s.Or("epoch_length_ms", e => e.GetUInt64(), d.EpochLengthMs),
            s.Or("unbonding_period_ms", e => e.GetUInt64(), d.UnbondingPeriodMs),
            s.Or("double_sign_slash_ppm", e => e.GetUInt32(), d.DoubleSignSlashPpm),
            s.Or("downtime_slash_ppm", e => e.GetUInt32(), d.DowntimeSlashPpm),
            s.Or("downtime_window_blocks", e => e.GetInt32(), d.DowntimeWindowBlocks),
            s.Or("downtime_min_signed_ppm", e => e.GetUInt32(), d.DowntimeMinSignedPpm),
            s.Or("downtime_jail_ms", e => e.GetUInt64(), d.DowntimeJailMs));
    }

    /// <summary>The canonical bytes the genesis hash covers: rlp([params, validators]).</summary>
    public static byte[] Encode(GenesisConfig g) => Rlp.EncodeList(
        g.Staking.Encode(),
        Rlp.EncodeList(g.Validators.Select(v => Rlp.EncodeList(Rlp.EncodeBytes(v.Address.ToBytes()), Rlp.EncodeBytes(v.PublicKey),
            Rlp.EncodeUInt(v.SelfBond), Rlp.EncodeString(v.Moniker)))));

    /// <summary>The section as genesis JSON (export), every parameter written out.</summary>
    public static JsonObject Write(GenesisConfig g)
    {
        var p = g.Staking;
        return new JsonObject
        {
            ["params"] = new JsonObject
            {
                ["min_self_bond"] = Amount.Format(p.MinSelfBond),
                ["max_validators"] = p.MaxValidators,
                ["epoch_length_ms"] = p.EpochLengthMs,
                ["unbonding_period_ms"] = p.UnbondingPeriodMs,
                ["double_sign_slash_ppm"] = p.DoubleSignSlashPpm,
                ["downtime_slash_ppm"] = p.DowntimeSlashPpm,
                ["downtime_window_blocks"] = p.DowntimeWindowBlocks,
                ["downtime_min_signed_ppm"] = p.DowntimeMinSignedPpm,
                ["downtime_jail_ms"] = p.DowntimeJailMs,
            },
            ["validators"] = new JsonArray(g.Validators.Select(v => (JsonNode)new JsonObject
            {
                ["address"] = v.Address.ToString(),
                ["public_key"] = Hex.Encode(v.PublicKey),
                ["self_bond"] = Amount.Format(v.SelfBond),
                ["moniker"] = v.Moniker,
            }).ToArray()),
        };
    }
}
