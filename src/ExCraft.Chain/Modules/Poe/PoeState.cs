using System.Buffers.Binary;
using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Poe;

/// <summary>An account's line in a closed epoch's index: its entry's position in the report, its PoE and its reward.</summary>
public readonly record struct PoeIndex(ulong Position, UInt128 Poe, UInt128 Reward);

/// <summary>
/// Typed access to the PoE module's records (keys in <see cref="PoeKeys"/>). The two methods for
/// other modules (pools) are <see cref="AccountPoe"/> and <see cref="EpochPoe"/>: valid for an
/// epoch from the PoE module's epoch-end hook of that epoch on (pools runs after PoE).
/// </summary>
public static class PoeState
{
    /// <summary>The account's PoE in a closed epoch (reference base units); 0 if it did not trade or the epoch is not closed yet.</summary>
    public static UInt128 AccountPoe(IStateReader state, ulong epoch, Address account) => ReadIndex(state, epoch, account)?.Poe ?? 0;

    /// <summary>Every account that traded in a closed epoch with its PoE (possibly 0: unpriced or all unqualified), ordered by address.</summary>
    public static IEnumerable<(Address Account, UInt128 Poe)> EpochPoe(IStateReader state, ulong epoch) =>
        ReadIndexes(state, epoch).Select(x => (x.Account, x.Index.Poe));

    public static IEnumerable<(Address Account, PoeIndex Index)> ReadIndexes(IStateReader state, ulong epoch) =>
        state.IteratePrefix(PoeKeys.Indexes(epoch)).Select(kv => (PoeKeys.AccountOfIndex(kv.Key), DecodeIndex(kv.Value)));

    public static PoeIndex? ReadIndex(IStateReader state, ulong epoch, Address account) =>
        state.Get(PoeKeys.Index(epoch, account)) is { } v ? DecodeIndex(v) : null;

    public static void WriteIndex(StateOverlay state, ulong epoch, Address account, PoeIndex index) => state.Set(PoeKeys.Index(epoch, account), EncodeIndex(index));

    /// <summary>position (u64) ‖ PoE (u128) ‖ reward (u128), big-endian.</summary>
    public static byte[] EncodeIndex(PoeIndex index)
    {
        var value = new byte[40];
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(0, 8), index.Position);
        BinaryPrimitives.WriteUInt128BigEndian(value.AsSpan(8, 16), index.Poe);
        BinaryPrimitives.WriteUInt128BigEndian(value.AsSpan(24, 16), index.Reward);
        return value;
    }

    private static PoeIndex DecodeIndex(byte[] v) => new(BinaryPrimitives.ReadUInt64BigEndian(v.AsSpan(0, 8)),
        BinaryPrimitives.ReadUInt128BigEndian(v.AsSpan(8, 16)), BinaryPrimitives.ReadUInt128BigEndian(v.AsSpan(24, 16)));

    // Trade cursor and the observation counter.

    /// <summary>The id of the market's next trade not yet counted (trade ids start at 1).</summary>
    public static ulong ReadCursor(IStateReader state, string baseAsset, string quoteAsset) =>
        state.Get(PoeKeys.Cursor(baseAsset, quoteAsset)) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 1;

    public static void WriteCursor(StateOverlay state, string baseAsset, string quoteAsset, ulong next) => state.Set(PoeKeys.Cursor(baseAsset, quoteAsset), U64(next));

    public static ulong ReadSequence(IStateReader state) => state.Get(PoeKeys.Sequence) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;

    public static void WriteSequence(StateOverlay state, ulong value) => state.Set(PoeKeys.Sequence, U64(value));

    // Open-epoch tallies.

    public static AccountTally? ReadAccountTally(IStateReader state, ulong epoch, Address account) =>
        state.Get(PoeKeys.AccountTally(epoch, account)) is { } v ? AccountTally.Decode(v) : null;

    public static void WriteAccountTally(StateOverlay state, ulong epoch, Address account, AccountTally tally) =>
        state.Set(PoeKeys.AccountTally(epoch, account), tally.Encode());

    /// <summary>The open epoch's tallies in address order.</summary>
    public static IEnumerable<(Address Account, AccountTally Tally)> ReadAccountTallies(IStateReader state, ulong epoch) =>
        state.IteratePrefix(PoeKeys.AccountTallies(epoch)).Select(kv => (PoeKeys.AccountOfTally(kv.Key), AccountTally.Decode(kv.Value)));

    public static MarketTally? ReadMarketTally(IStateReader state, ulong epoch, string baseAsset, string quoteAsset) =>
        state.Get(PoeKeys.MarketTally(epoch, baseAsset, quoteAsset)) is { } v ? MarketTally.Decode(v) : null;

    public static void WriteMarketTally(StateOverlay state, ulong epoch, MarketTally tally) =>
        state.Set(PoeKeys.MarketTally(epoch, tally.Base, tally.Quote), tally.Encode());

    /// <summary>An epoch's market tallies (kept after the close: they are part of the report), ordered by (base, quote).</summary>
    public static IReadOnlyList<MarketTally> ReadMarketTallies(IStateReader state, ulong epoch) =>
        state.IteratePrefix(PoeKeys.MarketTallies(epoch)).Select(kv => MarketTally.Decode(kv.Value))
            .OrderBy(m => m.Base, StringComparer.Ordinal).ThenBy(m => m.Quote, StringComparer.Ordinal).ToList();

    /// <summary>The next epoch whose close has not finished (epochs close in order, one after the other).</summary>
    public static ulong ReadNextToClose(IStateReader state) => state.Get(PoeKeys.NextToClose) is { } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : 0;

    public static void WriteNextToClose(StateOverlay state, ulong epoch) => state.Set(PoeKeys.NextToClose, U64(epoch));

    public static PoeCloseProgress? ReadCloseProgress(IStateReader state) =>
        state.Get(PoeKeys.CloseProgress) is { } v ? PoeCloseProgress.Decode(v) : null;

    public static void WriteCloseProgress(StateOverlay state, PoeCloseProgress progress) => state.Set(PoeKeys.CloseProgress, progress.Encode());

    // Closing prices.

    public static void WriteClosingPrice(StateOverlay state, ulong epoch, ClosingPrice price) => state.Set(PoeKeys.ClosingPrice(epoch, price.Asset), price.Encode());

    /// <summary>An epoch's closing prices by asset symbol (ordinal).</summary>
    public static IReadOnlyList<ClosingPrice> ReadClosingPrices(IStateReader state, ulong epoch) =>
        state.IteratePrefix(PoeKeys.ClosingPrices(epoch)).Select(kv => ClosingPrice.Decode(kv.Value)).OrderBy(p => p.Asset, StringComparer.Ordinal).ToList();

    /// <summary>The latest closing price an asset had and the epoch it was set in (direct or through an intermediate).</summary>
    public static (UInt128 Price, ulong Epoch)? ReadLatestPrice(IStateReader state, string asset)
    {
        if (state.Get(PoeKeys.LatestPrice(asset)) is not { } v) return null;
        return (BinaryPrimitives.ReadUInt128BigEndian(v.AsSpan(0, 16)), BinaryPrimitives.ReadUInt64BigEndian(v.AsSpan(16, 8)));
    }

    public static void WriteLatestPrice(StateOverlay state, string asset, UInt128 price, ulong epoch)
    {
        var value = new byte[24];
        BinaryPrimitives.WriteUInt128BigEndian(value.AsSpan(0, 16), price);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(16, 8), epoch);
        state.Set(PoeKeys.LatestPrice(asset), value);
    }

    // The report.

    public static PoeReportSummary? ReadSummary(IStateReader state, ulong epoch) =>
        state.Get(PoeKeys.Report(epoch)) is { } v ? PoeReportSummary.Decode(v) : null;

    public static void WriteSummary(StateOverlay state, PoeReportSummary summary) => state.Set(PoeKeys.Report(summary.Epoch), summary.Encode());

    public static void WriteEntry(StateOverlay state, ulong epoch, ulong position, PoeEntry entry) => state.Set(PoeKeys.Entry(epoch, position), entry.Encode());

    public static PoeEntry? ReadEntry(IStateReader state, ulong epoch, ulong position) =>
        state.Get(PoeKeys.Entry(epoch, position)) is { } v ? PoeEntry.Decode(v) : null;

    /// <summary>Entries from a position on, in report order (positions are consecutive from 0).</summary>
    public static IReadOnlyList<PoeEntry> ReadEntries(IStateReader state, ulong epoch, ulong from, int limit)
    {
        var entries = new List<PoeEntry>();
        for (var p = from; entries.Count < limit && ReadEntry(state, epoch, p) is { } e; p++) entries.Add(e);
        return entries;
    }

    /// <summary>Every leaf hash of a closed epoch's report, in report order (for proofs).</summary>
    public static IReadOnlyList<byte[]> ReadLeaves(IStateReader state, ulong epoch) =>
        state.IteratePrefix(PoeKeys.Entries(epoch)).Select(kv => PoeMerkle.Leaf(kv.Value)).ToList();

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
