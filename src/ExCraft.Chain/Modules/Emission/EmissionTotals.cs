using ExCraft.Chain.Modules.Emission.Schedule;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Emission;

/// <summary>
/// The running totals behind the supply check (docs/emission.md): the EXT supply right after
/// genesis, what the emission module minted per share, and how many epochs it has settled.
/// Burned EXT is the accounts module's burned total (AccountState.Burn: slashing, the fee burn); bridged amounts are zero until the
/// bridge module exists, and are kept here so the check's formula does not change when it does.
/// </summary>
public sealed record EmissionTotals(UInt128 GenesisSupply, ShareAmounts Minted, ulong EpochsSettled, UInt128 BridgedIn, UInt128 BridgedOut)
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(GenesisSupply), Rlp.EncodeUInt(Minted.ProofOfExistence), Rlp.EncodeUInt(Minted.Pools),
        Rlp.EncodeUInt(Minted.ProofOfStake), Rlp.EncodeUInt(EpochsSettled), Rlp.EncodeUInt(BridgedIn), Rlp.EncodeUInt(BridgedOut));

    public static EmissionTotals Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(7, "emission totals");
        return new EmissionTotals(f[0].AsUInt128(), new ShareAmounts(f[1].AsUInt128(), f[2].AsUInt128(), f[3].AsUInt128()),
            f[4].AsUInt64(), f[5].AsUInt128(), f[6].AsUInt128());
    }

    /// <summary>The native supply the categories add up to: genesis + minted + bridged in - bridged out - burned.</summary>
    public UInt128 ExpectedSupply(UInt128 burned) =>
        Amount.Subtract(Amount.Subtract(Amount.Add(Amount.Add(GenesisSupply, Minted.Total), BridgedIn), BridgedOut), burned);
}
