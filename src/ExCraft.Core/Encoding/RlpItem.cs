using System.Buffers.Binary;

namespace ExCraft.Core.Encoding;

/// <summary>
/// A decoded RLP value: either a byte string or a list of items. Integer accessors enforce the
/// canonical form (no leading zero bytes) so that one value has exactly one encoding.
/// </summary>
public sealed class RlpItem
{
    private readonly byte[]? _bytes;
    private readonly RlpItem[]? _items;

    private RlpItem(byte[]? bytes, RlpItem[]? items)
    {
        _bytes = bytes;
        _items = items;
    }

    internal static RlpItem String(byte[] bytes) => new(bytes, null);
    internal static RlpItem List(RlpItem[] items) => new(null, items);

    public bool IsList => _items is not null;

    public byte[] Bytes => _bytes ?? throw new RlpException("expected a byte string, found a list");

    public IReadOnlyList<RlpItem> Items => _items ?? throw new RlpException("expected a list, found a byte string");

    /// <summary>The list's items, which must number exactly <paramref name="count"/>.</summary>
    public IReadOnlyList<RlpItem> ListOf(int count, string what)
    {
        var items = _items ?? throw new RlpException($"{what}: expected a list, found a byte string");
        if (items.Length != count) throw new RlpException($"{what}: expected {count} fields, found {items.Length}");
        return items;
    }

    public ulong AsUInt64()
    {
        var b = CanonicalIntegerBytes(8);
        ulong value = 0;
        foreach (var x in b) value = (value << 8) | x;
        return value;
    }

    public int AsInt32()
    {
        var value = AsUInt64();
        if (value > int.MaxValue) throw new RlpException($"integer {value} is too large");
        return (int)value;
    }

    public UInt128 AsUInt128()
    {
        var b = CanonicalIntegerBytes(16);
        Span<byte> padded = stackalloc byte[16];
        b.CopyTo(padded[(16 - b.Length)..]);
        return BinaryPrimitives.ReadUInt128BigEndian(padded);
    }

    public bool AsBool() => AsUInt64() switch
    {
        0 => false,
        1 => true,
        var v => throw new RlpException($"boolean must be 0 or 1, got {v}"),
    };

    public string AsUtf8() => System.Text.Encoding.UTF8.GetString(Bytes);

    public byte[] AsFixed(int length, string what)
    {
        var b = Bytes;
        if (b.Length != length) throw new RlpException($"{what} must be {length} bytes, got {b.Length}");
        return b;
    }

    private byte[] CanonicalIntegerBytes(int maxLength)
    {
        var b = Bytes;
        if (b.Length > maxLength) throw new RlpException($"integer is {b.Length} bytes, more than {maxLength}");
        if (b.Length > 0 && b[0] == 0) throw new RlpException("integer has a leading zero byte (non-canonical)");
        return b;
    }
}
