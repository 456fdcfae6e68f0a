using System.Globalization;
using NBitcoin;

namespace ExCraft.Swaps.Bitcoin;

/// <summary>
/// Where a <see cref="HtlcWatcher"/> stopped: the height and hash of the last block it scanned.
/// A leg persists it (as <see cref="ToString"/>) and hands it back after a restart so the
/// watcher goes on from there instead of re-reading every block from its start height.
/// </summary>
public sealed record BitcoinScanCursor(int Height, uint256 Hash)
{
    /// <summary>"height:hash", the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => $"{Height.ToString(CultureInfo.InvariantCulture)}:{Hash}";

    public static BitcoinScanCursor Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            || !uint256.TryParse(parts[1], out var hash) || parts[1].Length != 64)
        {
            throw new FormatException($"a scan cursor is \"height:64-hex-digit block hash\", not \"{text}\"");
        }
        return new BitcoinScanCursor(height, hash);
    }
}
