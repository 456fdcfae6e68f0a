using System.Collections.Concurrent;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Markets;

/// <summary>
/// An address's text form (Bech32) for market events, remembered: an order block names the same
/// few accounts in thousands of events, and encoding Bech32 each time was a measurable part of
/// the end-block matching (docs/BENCHMARKS.md, e2e-orders). The text is a pure function of the
/// address, so sharing it across blocks and chains changes no result; the map is emptied when it
/// grows past its bound, so memory stays capped.
/// </summary>
public static class AddressText
{
    private const int MaxEntries = 65_536;
    private static readonly ConcurrentDictionary<Address, string> Texts = new();

    public static string Of(Address address)
    {
        if (Texts.TryGetValue(address, out var text)) return text;
        text = address.ToString();
        if (Texts.Count >= MaxEntries) Texts.Clear();
        Texts[address] = text;
        return text;
    }
}
