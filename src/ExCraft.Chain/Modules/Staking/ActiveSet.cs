using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Staking;

/// <summary>A member of the active validator set: operator, consensus key and address, voting power.</summary>
public sealed record ActiveValidator(Address Operator, byte[] ConsensusKey, Address ConsensusAddress, ulong Power);

/// <summary>
/// The validators that vote from EffectiveHeight on, by consensus address. Recomputed at each
/// epoch boundary (and when a validator is jailed) at the end of a block, effective from the next.
/// </summary>
public sealed record ActiveSet(ulong Epoch, ulong EffectiveHeight, IReadOnlyList<ActiveValidator> Validators)
{
    public ulong TotalPower => Validators.Aggregate(0UL, (sum, v) => checked(sum + v.Power));

    public ActiveValidator? ByConsensusAddress(Address address) => Validators.FirstOrDefault(v => v.ConsensusAddress == address);

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Epoch), Rlp.EncodeUInt(EffectiveHeight),
        Rlp.EncodeList(Validators.Select(v => Rlp.EncodeList(Rlp.EncodeBytes(v.Operator.ToBytes()), Rlp.EncodeBytes(v.ConsensusKey), Rlp.EncodeUInt(v.Power)))));

    public static ActiveSet Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(3, "active set");
        return new ActiveSet(f[0].AsUInt64(), f[1].AsUInt64(), f[2].Items.Select(i =>
        {
            var v = i.ListOf(3, "active validator");
            var key = v[1].AsFixed(33, "consensus key");
            return new ActiveValidator(new Address(v[0].AsFixed(Address.Length, "operator")), key, new Core.Crypto.PublicKey(key).Address, v[2].AsUInt64());
        }).ToList());
    }
}
