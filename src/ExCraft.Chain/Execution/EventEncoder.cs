using System.Globalization;
using System.Text;
using ExCraft.Core;

namespace ExCraft.Chain.Execution;

/// <summary>
/// RLP [type, [[key, value], ...]] of an event, written in one pass: each pair goes into a
/// per-thread scratch buffer as it is described (numbers as digits straight into it), then the
/// output array is sized once and filled. The bytes are exactly those of composing
/// Rlp.EncodeList/EncodeString over the attributes' text (ChainEventEncodingTests pins both forms).
/// Commits encode events on several threads at once, hence one scratch buffer per thread.
/// </summary>
internal sealed class EventEncoder : EventAttributeSink
{
    [ThreadStatic] private static EventEncoder? _perThread;

    private byte[] _pairs = new byte[4096];
    private int _length;

    public static byte[] Encode(ChainEvent e)
    {
        var encoder = _perThread ??= new EventEncoder();
        encoder._length = 0;
        e.Describe(encoder);
        return encoder.Finish(e.Type);
    }

    public override void Add(string key, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[length];
            Encoding.UTF8.GetBytes(value, utf8);
            AddPair(key, utf8);
        }
        else AddPair(key, Encoding.UTF8.GetBytes(value));
    }

    public override void Add(string key, ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        AddPair(key, digits[..written]);
    }

    public override void Add(string key, UInt128 value)
    {
        Span<byte> digits = stackalloc byte[40];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        AddPair(key, digits[..written]);
    }

    private void AddPair(string key, ReadOnlySpan<byte> value)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        Span<byte> keyBytes = stackalloc byte[keyLength];
        Encoding.UTF8.GetBytes(key, keyBytes);
        var pair = ItemLength(keyBytes) + ItemLength(value);
        Reserve(HeaderLength(pair) + pair);
        _length += WriteHeader(_pairs.AsSpan(_length), 0xc0, pair);
        _length += WriteItem(_pairs.AsSpan(_length), keyBytes);
        _length += WriteItem(_pairs.AsSpan(_length), value);
    }

    private byte[] Finish(string type)
    {
        var typeBytes = Encoding.UTF8.GetBytes(type);
        var payload = ItemLength(typeBytes) + HeaderLength(_length) + _length;
        var output = new byte[HeaderLength(payload) + payload];
        var offset = WriteHeader(output, 0xc0, payload);
        offset += WriteItem(output.AsSpan(offset), typeBytes);
        offset += WriteHeader(output.AsSpan(offset), 0xc0, _length);
        _pairs.AsSpan(0, _length).CopyTo(output.AsSpan(offset));
        return output;
    }

    private void Reserve(int more)
    {
        if (_length + more <= _pairs.Length) return;
        Array.Resize(ref _pairs, Math.Max(_pairs.Length * 2, _length + more));
    }

    // A single byte below 0x80 stands for itself; otherwise a 0x80-based header and the bytes.
    private static int ItemLength(ReadOnlySpan<byte> bytes) => bytes.Length == 1 && bytes[0] < 0x80 ? 1 : HeaderLength(bytes.Length) + bytes.Length;

    private static int WriteItem(Span<byte> output, ReadOnlySpan<byte> bytes)
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
}
