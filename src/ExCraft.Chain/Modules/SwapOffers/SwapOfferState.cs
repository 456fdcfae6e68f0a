using System.Buffers.Binary;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.SwapOffers;

/// <summary>
/// Typed access to the swapoffers module's records over an overlay: the offers, the indexes of open
/// offers (all, by pair, by expiry), each account's offers, and the per-asset escrow total.
/// </summary>
public sealed class SwapOfferState(StateOverlay state)
{
    public SwapOfferRecord? Get(byte[] id) => Read(state, id);

    public static SwapOfferRecord? Read(IStateReader reader, byte[] id) =>
        reader.Get(SwapOfferKeys.Offer(id)) is { } value ? SwapOfferRecord.Decode(id, value) : null;

    /// <summary>Stores a new open offer, indexes it, and adds its escrow (if any) to the asset's total.</summary>
    public void Open(SwapOfferRecord offer)
    {
        state.Set(SwapOfferKeys.Offer(offer.Id), offer.Encode());
        state.Set(SwapOfferKeys.Open(offer.PostHeight, offer.Id), []);
        state.Set(SwapOfferKeys.Pair(offer.NativeAsset, offer.OutsideChain, offer.OutsideAsset, offer.PostHeight, offer.Id), []);
        state.Set(SwapOfferKeys.Account(offer.Maker, offer.PostHeight, offer.Id), []);
        state.Set(SwapOfferKeys.Expiry(offer.ExpiryHeight, offer.Id), []);
        AddEscrow(offer.NativeAsset, offer.Escrowed, add: true);
    }

    /// <summary>
    /// Records an open offer as closed (taken, cancelled or expired): out of the open indexes, into the
    /// taker's index when taken, and its escrow out of the total. The caller moves the escrowed amount
    /// (back to the maker, or into the native HTLC). The record stays, so it can be read back.
    /// </summary>
    public void Close(SwapOfferRecord open, SwapOfferRecord closed)
    {
        state.Set(SwapOfferKeys.Offer(closed.Id), closed.Encode());
        state.Delete(SwapOfferKeys.Open(open.PostHeight, open.Id));
        state.Delete(SwapOfferKeys.Pair(open.NativeAsset, open.OutsideChain, open.OutsideAsset, open.PostHeight, open.Id));
        state.Delete(SwapOfferKeys.Expiry(open.ExpiryHeight, open.Id));
        if (closed.Taker is { } taker) state.Set(SwapOfferKeys.Account(taker, open.PostHeight, open.Id), []);
        AddEscrow(open.NativeAsset, open.Escrowed, add: false);
    }

    /// <summary>Ids of open offers whose expiry height is at or below the height, by expiry height then id.
    /// Read in small pages so a block costs the due offers, not every open one.</summary>
    public static List<byte[]> ReadDue(IStateReader reader, ulong height)
    {
        const int PageSize = 64;
        var due = new List<byte[]>();
        byte[]? after = null;
        while (true)
        {
            var page = reader.IteratePrefixFrom(SwapOfferKeys.AllExpiries, after, PageSize);
            foreach (var (key, _) in page)
            {
                if (SwapOfferKeys.HeightOfExpiryKey(key) > height) return due;
                due.Add(SwapOfferKeys.IdOfIndexKey(key));
            }
            if (page.Count < PageSize) return due;
            after = page[^1].Key;
        }
    }

    public static IEnumerable<byte[]> ReadOpenIds(IStateReader reader) =>
        reader.IteratePrefix(SwapOfferKeys.AllOpen).Select(kv => SwapOfferKeys.IdOfIndexKey(kv.Key));

    public static IEnumerable<byte[]> ReadOpenIdsOfPair(IStateReader reader, string nativeAsset, string outsideChain, string outsideAsset) =>
        reader.IteratePrefix(SwapOfferKeys.PairPrefix(nativeAsset, outsideChain, outsideAsset)).Select(kv => SwapOfferKeys.IdOfIndexKey(kv.Key));

    public static IEnumerable<byte[]> ReadIdsOf(IStateReader reader, Address account) =>
        reader.IteratePrefix(SwapOfferKeys.AccountPrefix(account)).Select(kv => SwapOfferKeys.IdOfIndexKey(kv.Key));

    public static UInt128 ReadEscrow(IStateReader reader, string asset) =>
        StateAmounts.Read(reader, SwapOfferKeys.Escrow(asset));

    /// <summary>Every asset escrowed by open offers, in symbol order (ordinal).</summary>
    public static IEnumerable<(string Asset, UInt128 Amount)> ReadAllEscrow(IStateReader reader) =>
        reader.IteratePrefix(SwapOfferKeys.AllEscrow).Select(kv => (SwapOfferKeys.AssetOfEscrowKey(kv.Key), StateAmounts.Decode(kv.Value)))
            .OrderBy(l => l.Item1, StringComparer.Ordinal); // keys order by symbol length first

    private void AddEscrow(string asset, UInt128 amount, bool add)
    {
        if (amount == 0) return;
        var current = ReadEscrow(state, asset);
        var total = add ? Amount.Add(current, amount) : Amount.Subtract(current, amount);
        StateAmounts.WriteOrDelete(state, SwapOfferKeys.Escrow(asset), total);
    }
}
