using ExCraft.Chain.Execution;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Tests;

/// <summary>
/// ChainEvent.Encode writes its RLP in one pass; receipts and stored block events hold those bytes,
/// so they must equal the composed definition [type, [[key, value], ...]] built here from the RLP
/// primitives, for short and long strings (the 55-byte header boundary, one- and two-byte lengths),
/// single ASCII characters (encoded as themselves), empty strings, non-ASCII text and many
/// attributes; and they must decode back to the same event.
/// </summary>
public sealed class ChainEventEncodingTests
{
    private static byte[] Composed(ChainEvent e) => Rlp.EncodeList(Rlp.EncodeString(e.Type),
        Rlp.EncodeList(e.Attributes.Select(a => Rlp.EncodeList(Rlp.EncodeString(a.Key), Rlp.EncodeString(a.Value)))));

    public static TheoryData<string, int, int> Shapes() => new()
    {
        { "transfer", 0, 0 },
        { "x", 1, 0 },
        { "market_order", 11, 5 },
        { "market_trade", 12, 54 },
        { "market_trade", 3, 55 },
        { "fee", 2, 56 },
        { "ä€𝄞", 4, 300 },
        { "", 80, 1 },
        { "poe_report", 100, 70_000 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Encode_equals_the_composed_rlp_and_decodes_back(string type, int attributes, int valueLength)
    {
        var random = new Random(attributes * 7919 + valueLength);
        var pairs = Enumerable.Range(0, attributes).Select(i => (Key: i % 3 == 0 ? "k" : $"key{i}", Value: Text(random, i % 4 == 0 ? 1 : valueLength, nonAscii: i % 5 == 4))).ToArray();
        var e = ChainEvent.Of(type, pairs);

        var encoded = e.Encode();

        Assert.Equal(Composed(e), encoded);
        var decoded = ChainEvent.Decode(Rlp.Decode(encoded));
        Assert.Equal(e.Type, decoded.Type);
        Assert.Equal(e.Attributes, decoded.Attributes);
    }

    [Fact]
    public void Single_characters_and_empty_strings_use_their_short_forms()
    {
        var e = ChainEvent.Of("t", ("a", ""), ("b", "0"), ("c", "\u007f"));

        // [ "t", [ ["a", ""], ["b", "0"], ["c", 0x7f] ] ]: one-byte strings below 0x80 stand for themselves.
        Assert.Equal(new byte[] { 0xcb, 0x74, 0xc9, 0xc2, 0x61, 0x80, 0xc2, 0x62, 0x30, 0xc2, 0x63, 0x7f }, e.Encode());
    }

    private static string Text(Random random, int length, bool nonAscii) =>
        new(Enumerable.Range(0, length).Select(_ => nonAscii && random.Next(3) == 0 ? 'é' : (char)random.Next(0x20, 0x7f)).ToArray());
}
