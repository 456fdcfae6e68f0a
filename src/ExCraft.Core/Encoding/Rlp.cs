using System.Buffers.Binary;

namespace ExCraft.Core.Encoding;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B). Decoding is strict: a
/// value must use its one shortest encoding and the input must hold exactly one item, so every
/// signed or hashed structure has a single byte form.
/// </summary>
public static class Rlp
{
    public const int MaxDepth = 64;

    public static readonly byte[] EmptyString = [0x80];
    public static readonly byte[] EmptyList = [0xc0];

    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        var output = new byte[BytesLength(bytes)];
        WriteBytes(output, bytes);
        return output;
    }

    /// <summary>The encoded length of a byte string: a single byte below 0x80 stands for itself, otherwise a header and the bytes.</summary>
    public static int BytesLength(ReadOnlySpan<byte> bytes) => bytes.Length == 1 && bytes[0] < 0x80 ? 1 : HeaderLength(bytes.Length) + bytes.Length;

    /// <summary>Writes a byte string's encoding (<see cref="BytesLength"/> bytes) at the start of <paramref name="output"/>; returns its length.</summary>
    public static int WriteBytes(Span<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80)
        {
            output[0] = bytes[0];
            return 1;
        }
        var offset = WriteHeader(output, 0x80, bytes.Length);
        bytes.CopyTo(output[offset..]);
        return offset + bytes.Length;
    }

    /// <summary>The length of a list's header for a payload (its items' encodings) of this many bytes.</summary>
    public static int ListHeaderLength(int payloadLength) => HeaderLength(payloadLength);

    /// <summary>Writes a list's header for a payload of this many bytes; the items' encodings follow it. Returns the header's length.</summary>
    public static int WriteListHeader(Span<byte> output, int payloadLength) => WriteHeader(output, 0xc0, payloadLength);

    public static byte[] EncodeString(string text) => EncodeBytes(System.Text.Encoding.UTF8.GetBytes(text));

    public static byte[] EncodeUInt(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        return EncodeBytes(buffer[CountLeadingZeroBytes(buffer)..]);
    }

    public static byte[] EncodeUInt(UInt128 value)
    {
        Span<byte> buffer = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(buffer, value);
        return EncodeBytes(buffer[CountLeadingZeroBytes(buffer)..]);
    }

    public static byte[] EncodeBool(bool value) => value ? [0x01] : EmptyString;

    /// <summary>Wraps already-encoded items into a list.</summary>
    public static byte[] EncodeList(params ReadOnlySpan<byte[]> encodedItems)
    {
        var output = new byte[ListLength(encodedItems)];
        WriteList(output, encodedItems);
        return output;
    }

    /// <summary>The length of the list of already-encoded items (<see cref="EncodeList(ReadOnlySpan{byte[]})"/>'s bytes).</summary>
    public static int ListLength(ReadOnlySpan<byte[]> encodedItems)
    {
        var payload = ListPayload(encodedItems);
        return HeaderLength(payload) + payload;
    }

    /// <summary>Writes the list of already-encoded items into <paramref name="output"/> (where it goes, e.g. a write batch); returns its length.</summary>
    public static int WriteList(Span<byte> output, ReadOnlySpan<byte[]> encodedItems)
    {
        var offset = WriteHeader(output, 0xc0, ListPayload(encodedItems));
        foreach (var item in encodedItems)
        {
            item.CopyTo(output[offset..]);
            offset += item.Length;
        }
        return offset;
    }

    private static int ListPayload(ReadOnlySpan<byte[]> encodedItems)
    {
        var payload = 0;
        foreach (var item in encodedItems) payload += item.Length;
        return payload;
    }

    public static byte[] EncodeList(IEnumerable<byte[]> encodedItems) => EncodeList([.. encodedItems]);

    /// <summary>An encoded list with one more encoded item at its end.</summary>
    public static byte[] AppendToList(ReadOnlySpan<byte> encodedList, ReadOnlySpan<byte> encodedItem)
    {
        var position = 0;
        if (encodedList.IsEmpty || encodedList[0] < 0xc0) throw new RlpException("expected an encoded list");
        var payloadLength = ReadLength(encodedList, ref position, encodedList[position++], 0xc0);
        var payload = encodedList.Slice(position, payloadLength);
        var total = payload.Length + encodedItem.Length;
        var output = new byte[HeaderLength(total) + total];
        var offset = WriteHeader(output, 0xc0, total);
        payload.CopyTo(output.AsSpan(offset));
        encodedItem.CopyTo(output.AsSpan(offset + payload.Length));
        return output;
    }

    /// <summary>Decodes exactly one item; trailing bytes, truncation and non-canonical forms are errors.</summary>
    public static RlpItem Decode(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) throw new RlpException("empty input");
        var position = 0;
        var item = DecodeItem(input, ref position, 0);
        if (position != input.Length) throw new RlpException($"{input.Length - position} trailing bytes after the RLP item");
        return item;
    }

    private static RlpItem DecodeItem(ReadOnlySpan<byte> input, ref int position, int depth)
    {
        if (depth > MaxDepth) throw new RlpException($"nesting deeper than {MaxDepth}");
        if (position >= input.Length) throw new RlpException("unexpected end of input");
        var prefix = input[position++];
        if (prefix < 0x80) return RlpItem.String([prefix]);
        if (prefix < 0xc0)
        {
            var length = ReadLength(input, ref position, prefix, 0x80);
            var bytes = input.Slice(position, length).ToArray();
            if (length == 1 && prefix == 0x81 && bytes[0] < 0x80)
                throw new RlpException("single byte below 0x80 must be encoded as itself (non-canonical)");
            position += length;
            return RlpItem.String(bytes);
        }
        var payloadLength = ReadLength(input, ref position, prefix, 0xc0);
        var end = position + payloadLength;
        var items = new List<RlpItem>();
        while (position < end)
        {
            items.Add(DecodeItem(input[..end], ref position, depth + 1));
        }
        return RlpItem.List([.. items]);
    }

    /// <summary>Reads a string or list length after its prefix byte and checks it fits the input.</summary>
    private static int ReadLength(ReadOnlySpan<byte> input, ref int position, byte prefix, byte shortBase)
    {
        int length;
        var longBase = shortBase + 55;
        if (prefix <= longBase)
        {
            length = prefix - shortBase;
        }
        else
        {
            var lengthOfLength = prefix - longBase;
            if (position + lengthOfLength > input.Length) throw new RlpException("length prefix runs past the end of input");
            if (input[position] == 0) throw new RlpException("length has a leading zero byte (non-canonical)");
            if (lengthOfLength > 4) throw new RlpException("length is too large");
            long value = 0;
            for (var i = 0; i < lengthOfLength; i++) value = (value << 8) | input[position + i];
            position += lengthOfLength;
            if (value < 56) throw new RlpException("long form used for a length below 56 (non-canonical)");
            if (value > int.MaxValue) throw new RlpException("length is too large");
            length = (int)value;
        }
        if ((long)position + length > input.Length) throw new RlpException($"item of {length} bytes runs past the end of input");
        return length;
    }

    private static int HeaderLength(int payloadLength) =>
        payloadLength < 56 ? 1 : 1 + ByteCount((ulong)payloadLength);

    private static int WriteHeader(Span<byte> output, byte shortBase, int payloadLength)
    {
        if (payloadLength < 56)
        {
            output[0] = (byte)(shortBase + payloadLength);
            return 1;
        }
        var count = ByteCount((ulong)payloadLength);
        output[0] = (byte)(shortBase + 55 + count);
        for (var i = 0; i < count; i++) output[count - i] = (byte)(payloadLength >> (8 * i));
        return 1 + count;
    }

    private static int ByteCount(ulong value)
    {
        var count = 0;
        while (value > 0) { count++; value >>= 8; }
        return count;
    }

    private static int CountLeadingZeroBytes(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && bytes[i] == 0) i++;
        return i;
    }
}
