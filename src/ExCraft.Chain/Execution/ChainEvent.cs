using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Execution;

/// <summary>
/// Something a transaction did, for receipts and subscribers: a type ("transfer", "asset_issued",
/// "registered", "fee") and ordered attributes. Amounts are base-unit integers in decimal text.
/// </summary>
public sealed record ChainEvent(string Type, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    public string? Get(string name) => Attributes.FirstOrDefault(a => a.Key == name).Value;

    public static ChainEvent Of(string type, params (string Key, string Value)[] attributes) =>
        new(type, attributes.Select(a => new KeyValuePair<string, string>(a.Key, a.Value)).ToList());

    /// <summary>Amounts in events: base units as decimal text.</summary>
    public static string Units(UInt128 value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeString(Type),
        Rlp.EncodeList(Attributes.Select(a => Rlp.EncodeList(Rlp.EncodeString(a.Key), Rlp.EncodeString(a.Value)))));

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
