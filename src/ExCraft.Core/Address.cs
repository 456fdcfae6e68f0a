using System.Buffers.Binary;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Core;

/// <summary>
/// A 20-byte account address: keccak256(uncompressed public key without its 0x04 byte)[12..],
/// the same as Ethereum's, so one key controls both. Text form is bech32 "ext1..."; 0x-hex is
/// accepted on input. Held as three integers so equality, hashing and ordering are cheap.
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Length = 20;
    public const string Hrp = "ext";

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    public static readonly Address Zero = default;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"an address is {Length} bytes, got {bytes.Length}");
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    /// <summary>Address of a 65-byte uncompressed secp256k1 public key (0x04 || X || Y).</summary>
    public static Address FromUncompressedPublicKey(ReadOnlySpan<byte> publicKey65)
    {
        if (publicKey65.Length != 65 || publicKey65[0] != 0x04)
            throw new ArgumentException("expected a 65-byte uncompressed public key starting with 0x04");
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(publicKey65[1..], hash);
        return new Address(hash[12..]);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public override string ToString() => Bech32.Encode(Hrp, ToBytes());

    public string ToHex() => Hex.Encode(ToBytes());

    /// <summary>Parses "ext1..." bech32 or "0x" + 40 hex digits; throws FormatException saying what is wrong.</summary>
    public static Address Parse(string text)
    {
        if (!TryParse(text, out var address, out var error)) throw new FormatException(error);
        return address;
    }

    public static bool TryParse(string? text, out Address address, out string error)
    {
        address = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "address is empty"; return false; }
        // An address is exactly its text: a pasted space or line break is refused, not silently
        // dropped, so what was checked is what was typed. Readers of files trim their own lines.
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) { error = "address has a leading or trailing space or line break; remove it"; return false; }
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!Hex.TryDecode(text, out var raw, out var hexError)) { error = $"invalid hex address: {hexError}"; return false; }
            if (raw.Length != Length) { error = $"hex address must be {Length} bytes, got {raw.Length}"; return false; }
            address = new Address(raw);
            return true;
        }
        try
        {
            // Prefix first: a pasted foreign address (e.g. Bitcoin's bc1...) should be reported as such,
            // not as a variant or padding error of its differently laid-out data.
            var (hrp, words, variant) = Bech32.DecodeWords(text);
            if (hrp != Hrp) { error = $"address prefix must be '{Hrp}', got '{hrp}'"; return false; }
            if (variant != Bech32Variant.Bech32) throw new FormatException($"bech32 checksum is for {variant}, expected {Bech32Variant.Bech32}");
            var data = Bech32.ConvertBits(words, 5, 8, pad: false);
            if (data.Length != Length) { error = $"address must hold {Length} bytes, got {data.Length}"; return false; }
            address = new Address(data);
            return true;
        }
        catch (FormatException e)
        {
            error = $"invalid address: {e.Message}";
            return false;
        }
    }

    public bool Equals(Address other) => _a == other._a && _b == other._b && _c == other._c;
    public override bool Equals(object? obj) => obj is Address other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public int CompareTo(Address other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        return c != 0 ? c : _c.CompareTo(other._c);
    }

    public static bool operator ==(Address left, Address right) => left.Equals(right);
    public static bool operator !=(Address left, Address right) => !left.Equals(right);
}
