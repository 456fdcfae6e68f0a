using System.Buffers.Binary;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Htlc;

/// <summary>
/// Typed access to the htlc module's records over an overlay: the HTLCs, each account's index
/// (as sender and as recipient, in lock height order) and the per-asset total held in escrow.
/// </summary>
public sealed class HtlcState(StateOverlay state)
{
    public HtlcRecord? Get(byte[] id) => Read(state, id);

    public static HtlcRecord? Read(IStateReader reader, byte[] id) =>
        reader.Get(HtlcKeys.Htlc(id)) is { } value ? HtlcRecord.Decode(id, value) : null;

    /// <summary>Stores a new HTLC, indexes it under its sender, its recipient and its hash lock, and adds its amount to the escrow total.</summary>
    public void Create(HtlcRecord htlc)
    {
        state.Set(HtlcKeys.Htlc(htlc.Id), htlc.Encode());
        state.Set(HtlcKeys.AccountIndex(htlc.Sender, htlc.LockHeight, htlc.Id), []);
        state.Set(HtlcKeys.AccountIndex(htlc.Recipient, htlc.LockHeight, htlc.Id), []); // same key when sender is recipient
        state.Set(HtlcKeys.HashLockIndex(htlc.HashLock, htlc.LockHeight, htlc.Id), []);
        SetLocked(htlc.Asset, Amount.Add(ReadLocked(state, htlc.Asset), htlc.Amount));
    }

    /// <summary>Records a settled HTLC (claimed or refunded) and takes its amount out of the escrow total; the record and index stay, so it can be read back.</summary>
    public void Settle(HtlcRecord settled)
    {
        state.Set(HtlcKeys.Htlc(settled.Id), settled.Encode());
        SetLocked(settled.Asset, Amount.Subtract(ReadLocked(state, settled.Asset), settled.Amount));
    }

    public static UInt128 ReadLocked(IStateReader reader, string asset) =>
        StateAmounts.Read(reader, HtlcKeys.Locked(asset));

    /// <summary>Every asset with an amount in open HTLCs, in symbol order (ordinal).</summary>
    public static IEnumerable<(string Asset, UInt128 Amount)> ReadAllLocked(IStateReader reader) =>
        reader.IteratePrefix(HtlcKeys.AllLocked).Select(kv => (HtlcKeys.AssetOfLockedKey(kv.Key), StateAmounts.Decode(kv.Value)))
            .OrderBy(l => l.Item1, StringComparer.Ordinal); // keys order by symbol length first

    /// <summary>Ids of the account's HTLCs (as sender or recipient), by lock height then id.</summary>
    public static IEnumerable<byte[]> ReadIdsOf(IStateReader reader, Address account) =>
        reader.IteratePrefix(HtlcKeys.AccountIndexPrefix(account)).Select(kv => HtlcKeys.IdOfAccountIndexKey(kv.Key));

    /// <summary>Ids of the HTLCs locked under a hash lock, by lock height then id.</summary>
    public static IEnumerable<byte[]> ReadIdsByHashLock(IStateReader reader, byte[] hashLock) =>
        reader.IteratePrefix(HtlcKeys.HashLockIndexPrefix(hashLock)).Select(kv => HtlcKeys.IdOfAccountIndexKey(kv.Key));

    private void SetLocked(string asset, UInt128 total) => StateAmounts.WriteOrDelete(state, HtlcKeys.Locked(asset), total);
}
