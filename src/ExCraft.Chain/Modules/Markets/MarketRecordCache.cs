using System.Collections.Concurrent;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// The last decoded market record of each pair, reused while the stored bytes are the same: every
/// place_order reads its market, at admission to the mempool and again at execution, and decoding
/// the record (RLP, symbol strings) cost more than the read. A pure function of the bytes (checked
/// byte for byte; records are immutable), so any number of chains in one process share it safely.
/// One entry per pair: a market's bytes change every block it trades, and the old ones are dropped.
/// </summary>
internal static class MarketRecordCache
{
    private const int MaxPairs = 4_096;
    private static readonly ConcurrentDictionary<(string, string), (byte[] Encoded, MarketRecord Record)> Decoded = new();

    public static MarketRecord Decode(string baseAsset, string quoteAsset, byte[] encoded)
    {
        var key = (baseAsset, quoteAsset);
        if (Decoded.TryGetValue(key, out var hit) && hit.Encoded.AsSpan().SequenceEqual(encoded)) return hit.Record;
        var record = MarketRecord.Decode(encoded);
        if (Decoded.Count >= MaxPairs) Decoded.Clear(); // bounded: more pairs than this only costs decoding again
        Decoded[key] = ((byte[])encoded.Clone(), record); // a copy: the caller's array is not ours to keep
        return record;
    }
}
