using System.Globalization;
using System.Numerics;
using System.Text.Json;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Tests;

/// <summary>
/// RLP against the published ethereum/tests vectors (TestData/rlptest.json, invalidRLPTest.json;
/// see TestData/README.md for the commit), one xunit case per vector, plus the edge cases the
/// published files do not name (non-canonical integers, length boundaries, nesting depth).
/// </summary>
public class RlpTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Valid = new(() => Load("rlptest.json"));
    private static readonly Lazy<Dictionary<string, JsonElement>> Invalid = new(() => Load("invalidRLPTest.json"));

    private static Dictionary<string, JsonElement> Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestPaths.TestData(file)));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    public static TheoryData<string> ValidNames() => [.. Valid.Value.Keys];

    public static TheoryData<string> InvalidNames() => [.. Invalid.Value.Keys];

    [Fact]
    public void VectorFiles_HaveTheExpectedNumberOfEntries()
    {
        // Guards against a truncated or replaced copy silently shrinking the theories below.
        Assert.Equal(28, Valid.Value.Count);
        Assert.Equal(26, Invalid.Value.Count);
    }

    /// <summary>
    /// Encodes "in" and compares with "out". Text is UTF-8, a JSON number is an unsigned integer,
    /// "#digits" is a big integer and an array is a list. Big integers up to UInt128 go through
    /// Rlp.EncodeUInt(UInt128); larger ones (mediumint5: 28 bytes, bigint: 33 bytes) have no integer
    /// encoder here, so they are encoded as their minimal big-endian byte string, which is what
    /// an RLP integer is.
    /// </summary>
    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_EncodeMatchesOut(string name)
    {
        var vector = Valid.Value[name];
        var expected = Hex.Decode(vector.GetProperty("out").GetString()!);
        Assert.Equal(Hex.Encode(expected), Hex.Encode(Encode(vector.GetProperty("in"))));
    }

    /// <summary>Decodes "out", compares the result with "in", and checks that re-encoding the decoded item gives "out" back.</summary>
    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_DecodeMatchesIn(string name)
    {
        var vector = Valid.Value[name];
        var encoded = Hex.Decode(vector.GetProperty("out").GetString()!);
        var item = Rlp.Decode(encoded);
        AssertMatches(vector.GetProperty("in"), item, name);
        Assert.Equal(Hex.Encode(encoded), Hex.Encode(ReEncode(item)));
    }

    /// <summary>
    /// Every published invalid vector is rejected by Rlp.Decode itself with an RlpException. None of
    /// the 26 entries of this file is a non-canonical integer (which Rlp.Decode accepts as a byte
    /// string and the integer accessors refuse); those cases are in
    /// <see cref="NonCanonicalInteger_DecodesAsBytes_ButIntegerAccessorsThrow"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_DecodeThrows(string name)
    {
        var vector = Invalid.Value[name];
        Assert.Equal("INVALID", vector.GetProperty("in").GetString());
        var encoded = Hex.Decode(vector.GetProperty("out").GetString()!);
        var e = Assert.Throws<RlpException>(() => Rlp.Decode(encoded));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData("00", "leading zero")]          // 0 must be 0x80, not the byte 0x00
    [InlineData("820001", "leading zero")]      // 1 with a leading zero byte
    [InlineData("83000100", "leading zero")]    // 256 with a leading zero byte
    [InlineData("89010000000000000000", "more than 8")] // 2^64 does not fit in 64 bits
    public void NonCanonicalInteger_DecodesAsBytes_ButIntegerAccessorsThrow(string hex, string message)
    {
        var item = Rlp.Decode(Hex.Decode(hex));
        Assert.False(item.IsList);
        var e = Assert.Throws<RlpException>(() => item.AsUInt64());
        Assert.Contains(message, e.Message);
        if (message == "leading zero")
        {
            Assert.Contains(message, Assert.Throws<RlpException>(() => item.AsUInt128()).Message);
        }
    }

    [Fact]
    public void IntegerAccessors_CanonicalValues()
    {
        Assert.Equal(0UL, Rlp.Decode([0x80]).AsUInt64());
        Assert.Equal(0x7fUL, Rlp.Decode([0x7f]).AsUInt64());
        Assert.Equal(0x80UL, Rlp.Decode([0x81, 0x80]).AsUInt64());
        Assert.Equal(ulong.MaxValue, Rlp.Decode(Rlp.EncodeUInt(ulong.MaxValue)).AsUInt64());
        Assert.Equal(UInt128.MaxValue, Rlp.Decode(Rlp.EncodeUInt(UInt128.MaxValue)).AsUInt128());
        Assert.Equal("0x90ffffffffffffffffffffffffffffffff", Hex.Encode(Rlp.EncodeUInt(UInt128.MaxValue)));
        Assert.Equal("0x80", Hex.Encode(Rlp.EncodeUInt(UInt128.Zero)));
        Assert.Equal("0x80", Hex.Encode(Rlp.EncodeUInt(0UL)));
        Assert.Throws<RlpException>(() => Rlp.Decode(Rlp.EncodeUInt(UInt128.MaxValue)).AsUInt64());
        Assert.Throws<RlpException>(() => Rlp.Decode(Rlp.EncodeUInt((ulong)int.MaxValue + 1)).AsInt32());
        Assert.False(Rlp.Decode(Rlp.EncodeBool(false)).AsBool());
        Assert.True(Rlp.Decode(Rlp.EncodeBool(true)).AsBool());
        Assert.Contains("0 or 1", Assert.Throws<RlpException>(() => Rlp.Decode([0x02]).AsBool()).Message);
    }

    [Theory]
    [InlineData(55, "b7")]
    [InlineData(56, "b838")]
    [InlineData(255, "b8ff")]
    [InlineData(256, "b90100")]
    [InlineData(65536, "ba010000")]
    public void StringLengthBoundaries(int length, string header)
    {
        var encoded = Rlp.EncodeBytes(Enumerable.Repeat((byte)0x61, length).ToArray());
        Assert.Equal(header, Convert.ToHexStringLower(encoded, 0, header.Length / 2));
        Assert.Equal(header.Length / 2 + length, encoded.Length);
        Assert.Equal(length, Rlp.Decode(encoded).Bytes.Length);
    }

    [Theory]
    [InlineData(55, "f7")]
    [InlineData(56, "f838")]
    [InlineData(1024, "f90400")]
    public void ListPayloadBoundaries(int payload, string header)
    {
        // payload single-byte items of 0x01
        var encoded = Rlp.EncodeList(Enumerable.Repeat(new byte[] { 0x01 }, payload).ToArray());
        Assert.Equal(header, Convert.ToHexStringLower(encoded, 0, header.Length / 2));
        Assert.Equal(payload, Rlp.Decode(encoded).Items.Count);
    }

    [Theory]
    [InlineData("83646f6700", "trailing")]    // "dog" then one more byte
    [InlineData("c0c0", "trailing")]          // two items
    [InlineData("c283646f67", "past the end")] // list item overruns its list
    [InlineData("b8", "past the end")]        // long-form prefix without its length byte
    [InlineData("f8", "past the end")]
    public void FurtherMalformedInputs_Throw(string hex, string message)
    {
        var e = Assert.Throws<RlpException>(() => Rlp.Decode(Hex.Decode(hex)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void TwoByteLengthThatFitsInOne_Throws()
    {
        var encoded = Hex.Decode("b90038" + new string('0', 2 * 56));
        Assert.Contains("leading zero", Assert.Throws<RlpException>(() => Rlp.Decode(encoded)).Message);
        var list = Hex.Decode("f90038" + string.Concat(Enumerable.Repeat("01", 56)));
        Assert.Contains("leading zero", Assert.Throws<RlpException>(() => Rlp.Decode(list)).Message);
    }

    [Fact]
    public void Nesting_IsBounded()
    {
        // Moderate nesting decodes; pathological nesting is an RlpException, not a stack overflow.
        Assert.True(Rlp.Decode(Nested(Rlp.MaxDepth)).IsList);
        Assert.Contains("nesting", Assert.Throws<RlpException>(() => Rlp.Decode(Nested(Rlp.MaxDepth + 2))).Message);
        Assert.Contains("nesting", Assert.Throws<RlpException>(() => Rlp.Decode(Nested(1_000))).Message);

        static byte[] Nested(int depth)
        {
            var encoded = Rlp.EmptyList;
            for (var i = 1; i < depth; i++) encoded = Rlp.EncodeList(encoded);
            return encoded;
        }
    }

    [Fact]
    public void AppendToList_AddsOneItem_AcrossTheShortLongBoundary()
    {
        var shortList = Rlp.EncodeList(Rlp.EncodeString("dog"));
        Assert.Equal("0xc583646f6701", Hex.Encode(Rlp.AppendToList(shortList, [0x01])));

        var items = Enumerable.Repeat(Rlp.EncodeString("abcd"), 11).ToArray(); // 55-byte payload
        var full = Rlp.EncodeList(items);
        Assert.Equal(0xf7, full[0]);
        var appended = Rlp.AppendToList(full, Rlp.EncodeString("x"));
        Assert.Equal(Rlp.EncodeList([.. items, Rlp.EncodeString("x")]), appended);
        Assert.Throws<RlpException>(() => Rlp.AppendToList(Rlp.EncodeString("dog"), [0x01]));
    }

    [Fact]
    public void ItemAccessors_ReportShapeErrors()
    {
        var list = Rlp.Decode(Rlp.EncodeList(Rlp.EncodeUInt(1UL)));
        Assert.Contains("found a list", Assert.Throws<RlpException>(() => list.Bytes).Message);
        Assert.Contains("expected 2 fields, found 1", Assert.Throws<RlpException>(() => list.ListOf(2, "pair")).Message);
        var text = Rlp.Decode(Rlp.EncodeString("dog"));
        Assert.Contains("found a byte string", Assert.Throws<RlpException>(() => text.Items).Message);
        Assert.Contains("must be 20 bytes", Assert.Throws<RlpException>(() => text.AsFixed(20, "address")).Message);
        Assert.Equal("dog", text.AsUtf8());
    }

    private static byte[] Encode(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => Rlp.EncodeUInt(value.GetUInt64()),
        JsonValueKind.String when value.GetString()!.StartsWith('#') => EncodeBigInteger(ParseBig(value.GetString()!)),
        JsonValueKind.String => Rlp.EncodeString(value.GetString()!),
        JsonValueKind.Array => Rlp.EncodeList(value.EnumerateArray().Select(Encode).ToArray()),
        _ => throw new InvalidOperationException($"unexpected JSON {value.ValueKind} in a vector"),
    };

    private static byte[] EncodeBigInteger(BigInteger value) =>
        value <= (BigInteger)UInt128.MaxValue
            ? Rlp.EncodeUInt((UInt128)value)
            : Rlp.EncodeBytes(value.ToByteArray(isUnsigned: true, isBigEndian: true)); // beyond UInt128: see Valid_EncodeMatchesOut

    private static BigInteger ParseBig(string text) => BigInteger.Parse(text[1..], CultureInfo.InvariantCulture);

    private static void AssertMatches(JsonElement expected, RlpItem item, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Number:
                Assert.False(item.IsList, path);
                Assert.Equal(expected.GetUInt64(), item.AsUInt64());
                break;
            case JsonValueKind.String when expected.GetString()!.StartsWith('#'):
                var big = ParseBig(expected.GetString()!);
                Assert.False(item.IsList, path);
                Assert.Equal(Hex.Encode(big.ToByteArray(isUnsigned: true, isBigEndian: true)), Hex.Encode(item.Bytes));
                if (big <= (BigInteger)UInt128.MaxValue) Assert.Equal((UInt128)big, item.AsUInt128());
                break;
            case JsonValueKind.String:
                Assert.False(item.IsList, path);
                Assert.Equal(System.Text.Encoding.UTF8.GetBytes(expected.GetString()!), item.Bytes);
                break;
            case JsonValueKind.Array:
                Assert.True(item.IsList, path);
                var children = expected.EnumerateArray().ToArray();
                Assert.Equal(children.Length, item.Items.Count);
                for (var i = 0; i < children.Length; i++) AssertMatches(children[i], item.Items[i], $"{path}[{i}]");
                break;
            default:
                throw new InvalidOperationException($"unexpected JSON {expected.ValueKind} in a vector");
        }
    }

    private static byte[] ReEncode(RlpItem item) =>
        item.IsList ? Rlp.EncodeList(item.Items.Select(ReEncode).ToArray()) : Rlp.EncodeBytes(item.Bytes);
}
