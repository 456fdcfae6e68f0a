using System.Buffers.Binary;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// One line of an epoch's PoE report (SPEC 6): the account's masked id, its PoE and fees paid (both
/// in reference base units at the epoch's closing prices), its buy and sell counts, whether it was
/// registered at the epoch end, and the reward the rules give it. The address is not in the entry.
/// </summary>
public sealed record PoeEntry(byte[] MaskedId, UInt128 Poe, ulong Buys, ulong Sells, bool Registered, UInt128 FeesValue, UInt128 Reward)
{
    /// <summary>keccak256(address (20 bytes) ‖ epoch (8 bytes big-endian)).</summary>
    public static byte[] Mask(Address account, ulong epoch)
    {
        Span<byte> data = stackalloc byte[Address.Length + 8];
        account.WriteTo(data);
        BinaryPrimitives.WriteUInt64BigEndian(data[Address.Length..], epoch);
        return Keccak256.Hash(data);
    }

    /// <summary>rlp([masked id, PoE, buys, sells, registered, fees value, reward]): the leaf's content and the state value.</summary>
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(MaskedId), Rlp.EncodeUInt(Poe), Rlp.EncodeUInt(Buys), Rlp.EncodeUInt(Sells),
        Rlp.EncodeBool(Registered), Rlp.EncodeUInt(FeesValue), Rlp.EncodeUInt(Reward));

    public static PoeEntry Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(7, "poe entry");
        return new PoeEntry(f[0].AsFixed(32, "masked id"), f[1].AsUInt128(), f[2].AsUInt64(), f[3].AsUInt64(), f[4].AsBool(), f[5].AsUInt128(), f[6].AsUInt128());
    }

    public byte[] LeafHash() => PoeMerkle.Leaf(Encode());
}
