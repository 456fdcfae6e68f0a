using ExCraft.Core.Encoding;

namespace ExCraft.Core.Genesis;

/// <summary>
/// Staking and slashing parameters (SPEC 4). Defaults are the mainnet values; testnets shorten
/// the epoch, the unbonding period and the downtime window. Rates are parts per million.
/// </summary>
public sealed record StakingParameters(
    UInt128 MinSelfBond,
    int MaxValidators = 101,
    ulong EpochLengthMs = 86_400_000,
    ulong UnbondingPeriodMs = 21 * 86_400_000UL,
    uint DoubleSignSlashPpm = 50_000,
    uint DowntimeSlashPpm = 100,
    int DowntimeWindowBlocks = 10_000,
    uint DowntimeMinSignedPpm = 50_000,
    ulong DowntimeJailMs = 600_000)
{
    public static StakingParameters Mainnet => new(Amount.FromWhole(10_000));

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(MinSelfBond), Rlp.EncodeUInt((ulong)MaxValidators), Rlp.EncodeUInt(EpochLengthMs),
        Rlp.EncodeUInt(UnbondingPeriodMs), Rlp.EncodeUInt(DoubleSignSlashPpm), Rlp.EncodeUInt(DowntimeSlashPpm),
        Rlp.EncodeUInt((ulong)DowntimeWindowBlocks), Rlp.EncodeUInt(DowntimeMinSignedPpm), Rlp.EncodeUInt(DowntimeJailMs));

    public void Validate()
    {
        if (MinSelfBond == 0) throw new GenesisException("staking.min_self_bond must be greater than zero");
        if (MaxValidators < 1) throw new GenesisException("staking.max_validators must be at least 1");
        if (EpochLengthMs == 0) throw new GenesisException("staking.epoch_length_ms must be greater than zero");
        if (DoubleSignSlashPpm > 1_000_000 || DowntimeSlashPpm > 1_000_000 || DowntimeMinSignedPpm > 1_000_000)
            throw new GenesisException("staking rates are parts per million and cannot exceed 1000000");
        if (DowntimeWindowBlocks < 1) throw new GenesisException("staking.downtime_window_blocks must be at least 1");
    }
}
