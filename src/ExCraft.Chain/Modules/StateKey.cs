using System.Buffers.Binary;
using System.Text;
using ExCraft.Core;

namespace ExCraft.Chain.Modules;

/// <summary>
/// Builds every state key: the module's prefix, a record tag byte, then parts: addresses (20
/// bytes), fixed-width big-endian integers (so numeric order is byte order) and length-prefixed
/// strings (one length byte, then UTF-8; so no string can run into the next part). A key is parsed
/// back only inside its module, with <see cref="StateKeyReader"/>.
/// A key is built in one expression, <c>StateKey.Of(..)...Build()</c>, and a builder is not used
/// after its Build: the parts go into a scratch buffer of the thread, taken by the builder and
/// handed back by Build, so a key costs one allocation (its own bytes), not two (a block's
/// transactions build tens of thousands of keys, docs/BENCHMARKS.md e2e-orders round 7). A key
/// built while another is (one of its parts) takes a buffer of its own.
/// </summary>
public struct StateKey
{
    private const int ScratchLength = 128;

    [ThreadStatic] private static byte[]? t_scratch;

    private byte[] _buffer;
    private int _length;

    private StateKey(byte[] prefix, byte tag)
    {
        var room = prefix.Length + 1 + 2 * Core.Address.Length + 16;
        if (t_scratch is { } scratch && scratch.Length >= room)
        {
            _buffer = scratch;
            t_scratch = null; // this builder's until its Build
        }
        else _buffer = new byte[Math.Max(ScratchLength, room)];
        prefix.CopyTo(_buffer, 0);
        _buffer[prefix.Length] = tag;
        _length = prefix.Length + 1;
    }

    /// <summary>Starts a key of a module's record kind.</summary>
    public static StateKey Of(byte[] modulePrefix, byte tag) => new(modulePrefix, tag);

    public StateKey Address(Address address)
    {
        address.WriteTo(Reserve(Core.Address.Length));
        return this;
    }

    public StateKey UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);
        return this;
    }

    /// <summary>A string of at most 255 UTF-8 bytes, after its length byte.</summary>
    public StateKey String(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        if (count > byte.MaxValue) throw new ArgumentException($"a key string is at most 255 bytes, got {count}");
        Reserve(1)[0] = (byte)count;
        Encoding.UTF8.GetBytes(value, Reserve(count));
        return this;
    }

    public readonly byte[] Build()
    {
        var key = _buffer.AsSpan(0, _length).ToArray();
        t_scratch ??= _buffer; // free for the next key (one built while this one was gets dropped instead)
        return key;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}

/// <summary>Reads a key built by <see cref="StateKey"/> part by part, after its prefix and tag.</summary>
public ref struct StateKeyReader(ReadOnlySpan<byte> key, int prefixLength)
{
    private readonly ReadOnlySpan<byte> _key = key;
    private int _offset = prefixLength + 1;

    public Address Address()
    {
        var value = new Address(_key.Slice(_offset, Core.Address.Length));
        _offset += Core.Address.Length;
        return value;
    }

    public ulong UInt64()
    {
        var value = BinaryPrimitives.ReadUInt64BigEndian(_key.Slice(_offset, 8));
        _offset += 8;
        return value;
    }

    public string String()
    {
        int count = _key[_offset];
        var value = Encoding.UTF8.GetString(_key.Slice(_offset + 1, count));
        _offset += 1 + count;
        return value;
    }
}
