using System.Numerics;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>Which part of an epoch's close runs next (docs/poe.md, "The close spread over blocks").</summary>
public enum PoeClosePhase : byte
{
    /// <summary>Value and mask the tallies, a chunk per block; sum the registered PoE.</summary>
    Valuing = 1,
    /// <summary>In masked-id order, a chunk per block: rewards, entries, index, Merkle frontier.</summary>
    Paying = 2,
}

/// <summary>
/// The running close's state between blocks (key 'Q'): the epoch, the phase, the accounts the
/// epoch has and how many the phase has done, the sums so far and the Merkle frontier. Available
/// is the PoE share read when phase 2 starts (the previous epoch is settled by then).
/// </summary>
public sealed record PoeCloseProgress(ulong Epoch, PoeClosePhase Phase, ulong Accounts, ulong Done, BigInteger EligiblePoe, UInt128 Available,
    UInt128 TotalPoe, UInt128 Paid, UInt128 HeldByGuard, ulong Rewarded, PoeMerkleFrontier Frontier)
{
    public static PoeCloseProgress Start(ulong epoch, ulong accounts) => new(epoch, PoeClosePhase.Valuing, accounts, 0, 0, 0, 0, 0, 0, 0, new PoeMerkleFrontier());

    /// <summary>Accounts done over both phases, out of twice the accounts (for "N of M accounts done").</summary>
    public ulong AccountsDone => Phase == PoeClosePhase.Valuing ? Done / 2 : (Accounts + Done) / 2;

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Epoch), Rlp.EncodeUInt((ulong)Phase), Rlp.EncodeUInt(Accounts), Rlp.EncodeUInt(Done),
        Rlp.EncodeBytes(EligiblePoe.IsZero ? [] : EligiblePoe.ToByteArray(isUnsigned: true, isBigEndian: true)), Rlp.EncodeUInt(Available),
        Rlp.EncodeUInt(TotalPoe), Rlp.EncodeUInt(Paid), Rlp.EncodeUInt(HeldByGuard), Rlp.EncodeUInt(Rewarded), Frontier.Encode());

    public static PoeCloseProgress Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(11, "poe close progress");
        return new PoeCloseProgress(f[0].AsUInt64(), (PoeClosePhase)f[1].AsUInt64(), f[2].AsUInt64(), f[3].AsUInt64(),
            new BigInteger(f[4].Bytes, isUnsigned: true, isBigEndian: true), f[5].AsUInt128(), f[6].AsUInt128(), f[7].AsUInt128(), f[8].AsUInt128(),
            f[9].AsUInt64(), PoeMerkleFrontier.Decode(f[10]));
    }
}
