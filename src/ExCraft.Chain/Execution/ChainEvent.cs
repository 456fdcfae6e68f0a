using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Execution;

/// <summary>
/// Something a transaction did, for receipts and subscribers: a type ("transfer", "asset_issued",
/// "registered", "fee") and ordered attributes. Amounts are base-unit integers in decimal text.
/// An event is made from its text, or from a typed value (<see cref="IEventDetail"/>) whose
/// text is made only when someone reads <see cref="Attributes"/>: encoding and the accounts it
/// names come straight from the value (an order block has three events per order, and making
/// their strings was a large part of its cost, docs/BENCHMARKS.md e2e-orders round 6).
/// </summary>
public sealed record ChainEvent
{
    private IReadOnlyList<KeyValuePair<string, string>>? _attributes;

    public ChainEvent(string type, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        Type = type;
        _attributes = attributes;
    }

    /// <summary>An event written from a typed value, which stays its <see cref="Detail"/>.</summary>
    public ChainEvent(string type, IEventDetail detail)
    {
        Type = type;
        Detail = detail;
    }

    public string Type { get; }

    /// <summary>The attributes as text, in order (made from the typed value on first read).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes ??= TextOf((IEventDetail)Detail!);

    /// <summary>
    /// The typed value the event was written from (a market trade, an order change), for
    /// consumers in the same process: the market-data index reads it instead of parsing the text
    /// back (docs/BENCHMARKS.md e2e-orders, round 5). Never encoded, so null on an event read back
    /// from storage; readers must fall back to <see cref="Attributes"/>, which stay the truth.
    /// </summary>
    public object? Detail { get; }

    public string? Get(string name) => Attributes.FirstOrDefault(a => a.Key == name).Value;

    /// <summary>Gives every attribute, in order, to the sink: from the typed value when there is one, else from the text.</summary>
    public void Describe(EventAttributeSink sink)
    {
        if (_attributes is null && Detail is IEventDetail detail)
        {
            detail.Describe(sink);
            return;
        }
        foreach (var (key, value) in Attributes) sink.Add(key, value);
    }

    /// <summary>Adds every account an attribute names (recipients, issuers, traders) to <paramref name="accounts"/>.</summary>
    public void AddNamedAccounts(ISet<Address> accounts)
    {
        if (Detail is IEventDetail detail)
        {
            detail.Describe(new NamedAccounts(accounts));
            return;
        }
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

    /// <summary>RLP [type, [[key, value], ...]] (<see cref="EventEncoder"/>).</summary>
    public byte[] Encode() => EventEncoder.Encode(this);

    private static KeyValuePair<string, string>[] TextOf(IEventDetail detail)
    {
        var text = new TextList();
        detail.Describe(text);
        return [.. text.Pairs];
    }

    private sealed class TextList : EventAttributeSink
    {
        public List<KeyValuePair<string, string>> Pairs { get; } = [];

        public override void Add(string key, string value) => Pairs.Add(new KeyValuePair<string, string>(key, value));
    }

    /// <summary>A typed value names its accounts as accounts: kept as they are, no text made or parsed.</summary>
    private sealed class NamedAccounts(ISet<Address> accounts) : EventAttributeSink
    {
        public override void Add(string key, string value) { }

        public override void Add(string key, ulong value) { }

        public override void Add(string key, UInt128 value) { }

        public override void Add(string key, Address value) => accounts.Add(value);
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
