using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Execution;

/// <summary>
/// The outcome of one included transaction. A failed transaction still pays its fee and uses its
/// nonce; its other effects are dropped and Error says why it failed.
/// </summary>
public sealed record Receipt(
    byte[] TransactionHash,
    ulong Height,
    int Index,
    Address Sender,
    bool Success,
    UInt128 FeePaid,
    string Error,
    IReadOnlyList<ChainEvent> Events)
{
    /// <summary>The sender and every account an event names (recipients, issuers), in address order.</summary>
    public IReadOnlyCollection<Address> AccountsTouched()
    {
        var accounts = new SortedSet<Address> { Sender };
        foreach (var e in Events) e.AddNamedAccounts(accounts);
        return accounts;
    }

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeBytes(TransactionHash), Rlp.EncodeUInt(Height), Rlp.EncodeUInt((ulong)Index), Rlp.EncodeBytes(Sender.ToBytes()),
        Rlp.EncodeBool(Success), Rlp.EncodeUInt(FeePaid), Rlp.EncodeString(Error), Rlp.EncodeList(Events.Select(e => e.Encode())));

    public static Receipt Decode(byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(8, "receipt");
        return new Receipt(f[0].AsFixed(32, "transaction hash"), f[1].AsUInt64(), f[2].AsInt32(), new Address(f[3].AsFixed(Address.Length, "sender")),
            f[4].AsBool(), f[5].AsUInt128(), f[6].AsUtf8(), f[7].Items.Select(ChainEvent.Decode).ToList());
    }
}
