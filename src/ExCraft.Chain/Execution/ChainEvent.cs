using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Execution;

/// <summary>
/// Something a transaction did, for receipts and subscribers: a type ("transfer", "asset_issued",
/// "registered", "fee") and ordered attributes. Amounts are base-unit integers in decimal text.
/// </summary>
public sealed record ChainEvent(string Type, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    /// <summary>
    /// The typed value the event was written from (a market trade's record, an order change), for
    /// consumers in the same process: the market-data index reads it instead of parsing the text
    /// back (docs/BENCHMARKS.md e2e-orders, round 5). Never encoded, so null on an event read back
    /// from storage; readers must fall back to <see cref="Attributes"/>, which stay the truth.
    /// </summary>
    public object? Detail { get; init; }

    public string? Get(string name) => Attributes.FirstOrDefault(a => a.Key == name).Value;

    /// <summary>Adds every account an attribute names (recipients, issuers, traders) to <paramref name="accounts"/>.</summary>
    public void AddNamedAccounts(ISet<Address> accounts)
    {
        foreach (var (_, value) in Attributes)
            if (value.StartsWith(Address.Hrp + "1", StringComparison.Ordinal) && AddressTextCache.TryParse(value, out var address)) accounts.Add(address);
    }

    public static ChainEvent Of(string type, params (string Key, string Value)[] attributes)
    {
        var list = new KeyValuePair<string, string>[attributes.Length];
        for (var i = 0; i < attributes.Length; i++) list[i] = new KeyValuePair<string, string>(attributes[i].Key, attributes[i].Value);
        return new ChainEvent(type, list);
    }

    /// <summary>Amounts in events: base units as decimal text.</summary>
    public static string Units(UInt128 value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// RLP [type, [[key, value], ...]]: the same bytes as composing Rlp.EncodeList/EncodeString,
    /// written in one pass into one array, each string's UTF-8 length counted once (an order block
    /// encodes three events per order, and the composed form made about 30 small arrays per event).
    /// </summary>
    public byte[] Encode()
    {
        var utf8 = System.Text.Encoding.UTF8;
        var attributes = Attributes.Count;
        Span<int> lengths = attributes <= 32 ? stackalloc int[2 * attributes] : new int[2 * attributes];
        var listPayload = 0;
        for (var i = 0; i < attributes; i++)
        {
            var a = Attributes[i];
            lengths[2 * i] = utf8.GetByteCount(a.Key);
            lengths[2 * i + 1] = utf8.GetByteCount(a.Value);
            var pair = StringItemLength(a.Key, lengths[2 * i]) + StringItemLength(a.Value, lengths[2 * i + 1]);
            listPayload += HeaderLength(pair) + pair;
        }
        var typeLength = utf8.GetByteCount(Type);
        var payload = StringItemLength(Type, typeLength) + HeaderLength(listPayload) + listPayload;
        var output = new byte[HeaderLength(payload) + payload];
        var offset = WriteHeader(output, 0xc0, payload);
        offset += WriteString(utf8, output.AsSpan(offset), Type, typeLength);
        offset += WriteHeader(output.AsSpan(offset), 0xc0, listPayload);
        for (var i = 0; i < attributes; i++)
        {
            var a = Attributes[i];
            var pair = StringItemLength(a.Key, lengths[2 * i]) + StringItemLength(a.Value, lengths[2 * i + 1]);
            offset += WriteHeader(output.AsSpan(offset), 0xc0, pair);
            offset += WriteString(utf8, output.AsSpan(offset), a.Key, lengths[2 * i]);
            offset += WriteString(utf8, output.AsSpan(offset), a.Value, lengths[2 * i + 1]);
        }
        return output;
    }

    // RLP of a UTF-8 string of the given byte length: one byte below 0x80 stands for itself, otherwise a 0x80-based header and the bytes.
    private static int StringItemLength(string text, int length) => length == 1 && text[0] < 0x80 ? 1 : HeaderLength(length) + length;

    private static int WriteString(System.Text.Encoding utf8, Span<byte> output, string text, int length)
    {
        if (length == 1 && text[0] < 0x80)
        {
            output[0] = (byte)text[0];
            return 1;
        }
        var offset = WriteHeader(output, 0x80, length);
        return offset + utf8.GetBytes(text, output[offset..]);
    }

    private static int HeaderLength(int payloadLength) => payloadLength < 56 ? 1 : 1 + ByteCount(payloadLength);

    private static int WriteHeader(Span<byte> output, byte shortBase, int payloadLength)
    {
        if (payloadLength < 56)
        {
            output[0] = (byte)(shortBase + payloadLength);
            return 1;
        }
        var count = ByteCount(payloadLength);
        output[0] = (byte)(shortBase + 55 + count);
        for (var i = 0; i < count; i++) output[count - i] = (byte)(payloadLength >> (8 * i));
        return 1 + count;
    }

    private static int ByteCount(int value)
    {
        var count = 0;
        for (var v = (uint)value; v > 0; v >>= 8) count++;
        return count;
    }

    public static ChainEvent Decode(RlpItem item)
    {
        var f = item.ListOf(2, "event");
        return new ChainEvent(f[0].AsUtf8(), f[1].Items.Select(a =>
        {
            var p = a.ListOf(2, "event attribute");
            return new KeyValuePair<string, string>(p[0].AsUtf8(), p[1].AsUtf8());
        }).ToList());
    }
}
