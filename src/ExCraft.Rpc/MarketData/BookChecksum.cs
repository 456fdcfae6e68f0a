using System.Globalization;
using System.Text;
using ExCraft.Chain.Modules.Markets.Matching;

namespace ExCraft.Rpc.MarketData;

/// <summary>
/// The checksum a book stream carries with every snapshot and delta (docs/market-data.md): CRC-32
/// of the UTF-8 text of the top 25 levels of each side, best first, each level "price:size" in
/// base-unit decimals, levels joined by ",", bids then asks separated by "|". An empty book is "|".
/// </summary>
public static class BookChecksum
{
    public const int Levels = 25;

    public static string Canonical(IReadOnlyList<DepthLevel> bids, IReadOnlyList<DepthLevel> asks)
    {
        var text = new StringBuilder();
        Append(text, bids);
        text.Append('|');
        Append(text, asks);
        return text.ToString();
    }

    public static uint Compute(IReadOnlyList<DepthLevel> bids, IReadOnlyList<DepthLevel> asks) =>
        Crc32.Compute(Encoding.UTF8.GetBytes(Canonical(bids, asks)));

    private static void Append(StringBuilder text, IReadOnlyList<DepthLevel> levels)
    {
        for (var i = 0; i < Math.Min(Levels, levels.Count); i++)
        {
            if (i > 0) text.Append(',');
            text.Append(levels[i].Price.ToString(CultureInfo.InvariantCulture)).Append(':').Append(levels[i].Size.ToString(CultureInfo.InvariantCulture));
        }
    }
}
