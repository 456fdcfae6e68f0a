using System.Collections.Concurrent;

namespace ExCraft.Core;

/// <summary>
/// Addresses and their Bech32 text, both ways, remembered: an order block names the same few
/// accounts in thousands of events, which are written as text and read back by the commit's
/// account index, the market-data index and the streams; encoding and decoding Bech32 each time
/// was a measurable part of the block path (docs/BENCHMARKS.md e2e-orders). Both are pure
/// functions of their input, so sharing them across blocks, threads and chains changes no result;
/// each map is emptied when it reaches its bound, so memory stays capped.
/// </summary>
public static class AddressTextCache
{
    private const int MaxEntries = 65_536;
    private static readonly ConcurrentDictionary<Address, string> Texts = new();
    private static readonly ConcurrentDictionary<string, Address> Parsed = new(StringComparer.Ordinal);
    // Counted here: ConcurrentDictionary.Count takes every lock of the map.
    private static int _texts;
    private static int _parsed;

    /// <summary>The address's Bech32 text (as <see cref="Address.ToString"/>).</summary>
    public static string TextOf(Address address)
    {
        if (Texts.TryGetValue(address, out var text)) return text;
        text = address.ToString();
        Remember(Texts, ref _texts, address, text);
        return text;
    }

    /// <summary>As <see cref="Address.TryParse"/>, without the error text.</summary>
    public static bool TryParse(string text, out Address address)
    {
        if (Parsed.TryGetValue(text, out address)) return true;
        if (!Address.TryParse(text, out address, out _)) return false;
        Remember(Parsed, ref _parsed, text, address);
        return true;
    }

    private static void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> map, ref int count, TKey key, TValue value) where TKey : notnull
    {
        if (Interlocked.Increment(ref count) > MaxEntries)
        {
            map.Clear();
            Interlocked.Exchange(ref count, 1);
        }
        map[key] = value;
    }
}
