using System.Globalization;
using System.Numerics;

namespace ExCraft.Swaps.Ethereum;

/// <summary>
/// Where a <see cref="HtlcWatcher"/> stopped: the number and hash of the last block it read.
/// A leg persists it (as <see cref="ToString"/>) and hands it back after a restart so the
/// watcher goes on from there instead of re-reading the logs from its start block.
/// </summary>
public sealed record EthereumScanCursor(BigInteger Number, string Hash)
{
    /// <summary>"number:0xhash", the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => $"{Number.ToString(CultureInfo.InvariantCulture)}:{Hash}";

    public static EthereumScanCursor Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 2
            || !BigInteger.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !IsBlockHash(parts[1]))
        {
            throw new FormatException($"a scan cursor is \"block number:0x-prefixed 32-byte block hash\", not \"{text}\"");
        }
        return new EthereumScanCursor(number, parts[1].ToLowerInvariant());
    }

    private static bool IsBlockHash(string s) =>
        s.Length == 66 && s.StartsWith("0x", StringComparison.Ordinal) && s.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") is false;
}
