using System.Globalization;
using System.Text;
using ExCraft.Core.Encoding;

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
        var pair = Rlp.BytesLength(keyBytes) + Rlp.BytesLength(value);
        Reserve(Rlp.ListHeaderLength(pair) + pair);
        _length += Rlp.WriteListHeader(_pairs.AsSpan(_length), pair);
        _length += Rlp.WriteBytes(_pairs.AsSpan(_length), keyBytes);
        _length += Rlp.WriteBytes(_pairs.AsSpan(_length), value);
    }

    private byte[] Finish(string type)
    {
        var typeBytes = Encoding.UTF8.GetBytes(type);
        var payload = Rlp.BytesLength(typeBytes) + Rlp.ListHeaderLength(_length) + _length;
        var output = new byte[Rlp.ListHeaderLength(payload) + payload];
        var offset = Rlp.WriteListHeader(output, payload);
        offset += Rlp.WriteBytes(output.AsSpan(offset), typeBytes);
        offset += Rlp.WriteListHeader(output.AsSpan(offset), _length);
        _pairs.AsSpan(0, _length).CopyTo(output.AsSpan(offset));
        return output;
    }

    private void Reserve(int more)
    {
        if (_length + more <= _pairs.Length) return;
        Array.Resize(ref _pairs, Math.Max(_pairs.Length * 2, _length + more));
    }
}
