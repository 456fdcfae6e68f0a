using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>
/// The head of a closed epoch's PoE report: the Merkle root over its entries, how many there are,
/// the PoE share that was available (the cycle's PoE share plus the PoE carry), the wash cap used,
/// the registered PoE the share was split over, what the rules pay, and what the guard held back.
/// Everything a verifier needs besides the entries themselves.
/// </summary>
public sealed record PoeReportSummary(ulong Epoch, byte[] Root, ulong Entries, UInt128 Available, ulong WashCapPpm, UInt128 EligiblePoe,
    UInt128 TotalPoe, UInt128 Paid, UInt128 HeldByGuard, ulong RewardedAccounts)
{
    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(Epoch), Rlp.EncodeBytes(Root), Rlp.EncodeUInt(Entries), Rlp.EncodeUInt(Available),
        Rlp.EncodeUInt(WashCapPpm), Rlp.EncodeUInt(EligiblePoe), Rlp.EncodeUInt(TotalPoe), Rlp.EncodeUInt(Paid), Rlp.EncodeUInt(HeldByGuard),
        Rlp.EncodeUInt(RewardedAccounts));

    public static PoeReportSummary Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(10, "poe report");
        return new PoeReportSummary(f[0].AsUInt64(), f[1].AsFixed(32, "root"), f[2].AsUInt64(), f[3].AsUInt128(), f[4].AsUInt64(),
            f[5].AsUInt128(), f[6].AsUInt128(), f[7].AsUInt128(), f[8].AsUInt128(), f[9].AsUInt64());
    }
}
