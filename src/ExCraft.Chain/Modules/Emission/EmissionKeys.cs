using ExCraft.Core;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>
/// State keys of the emission module: prefix 0x04 (emission/PoE/KYC, kinds 40-49), then a tag:
/// the carry-over ('k'), the running totals the supply check uses ('t'), each account's
/// PoS reward total ('r'), and the PoE ('q') and pools ('o') rewards paid for an epoch still closing.
/// </summary>
public static class EmissionKeys
{
    public static readonly byte[] Prefix = [0x04];

    private const byte RewardTag = (byte)'r';

    public static readonly byte[] Carry = StateKey.Of(Prefix, (byte)'k').Build();

    public static readonly byte[] Totals = StateKey.Of(Prefix, (byte)'t').Build();

    /// <summary>PoE rewards of the epoch being closed already credited and minted chunk by chunk, not yet settled (u128; absent: 0).</summary>
    public static readonly byte[] PendingPoe = StateKey.Of(Prefix, (byte)'q').Build();

    /// <summary>Pools rewards of the epoch being closed already credited and minted chunk by chunk, not yet settled (u128; absent: 0).</summary>
    public static readonly byte[] PendingPools = StateKey.Of(Prefix, (byte)'o').Build();

    public static byte[] Reward(Address account) => StateKey.Of(Prefix, RewardTag).Address(account).Build();
}
