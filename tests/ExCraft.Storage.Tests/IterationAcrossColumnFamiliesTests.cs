namespace ExCraft.Storage.Tests;

/// <summary>
/// Every <see cref="IterationTests"/> case again, with the test keys spread over three column families, some
/// routed by prefixes longer than the scanned prefix, so each scan has to merge several families in key order.
/// </summary>
public sealed class IterationAcrossColumnFamiliesTests : IterationTests
{
    internal static readonly ColumnFamilyRoute[] ScatteredLayout =
    [
        new("a", [0x01, 0x05], [0xFF, 0xFF], [0x10, 0x00, 0x00, 0x00, 0x05], [0x0F]),
        new("b", [0x01], [0xFE], [0x10, 0x00, 0x00, 0x00, 0x07], [0x02, 0x00], [0x11]),
    ];

    protected override RocksDbOptions TestOptions
        => new(BlockCacheMegabytes: 8, WriteBufferMegabytes: 4) { ColumnFamilies = ScatteredLayout };
}
