using System.Collections.Frozen;
using System.Reflection;
using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// Every payload record of this assembly, found once by its <see cref="TxPayloadKindAttribute"/>:
/// kind, name, type and decoder (the record's static Decode(RlpItem)). Adding a kind therefore
/// needs no edit here or in <see cref="Transaction"/>; a payload without a decoder, or two
/// payloads claiming one kind or name, stop the process at first use with a message naming them.
/// </summary>
public static class TxPayloadCatalog
{
    public sealed record Entry(TxKind Kind, string Name, Type Type, Func<RlpItem, TxPayload> Decode);

    private static readonly Entry?[] ByKind = new Entry?[256];
    private static readonly FrozenDictionary<Type, Entry> ByType;
    private static readonly FrozenDictionary<string, Entry> ByName;

    static TxPayloadCatalog()
    {
        var entries = new List<Entry>();
        foreach (var type in typeof(TxPayload).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(TxPayload)) && !t.IsAbstract).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var attribute = type.GetCustomAttribute<TxPayloadKindAttribute>()
                ?? throw new InvalidOperationException($"payload {type.Name} has no [TxPayloadKind] attribute");
            var decode = type.GetMethod("Decode", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(RlpItem)])
                ?? throw new InvalidOperationException($"payload {type.Name} has no static Decode(RlpItem)");
            var decoder = (Func<RlpItem, TxPayload>)Delegate.CreateDelegate(typeof(Func<RlpItem, TxPayload>), decode);
            var entry = new Entry(attribute.Kind, attribute.Name, type, decoder);
            if (ByKind[(byte)attribute.Kind] is { } other)
                throw new InvalidOperationException($"payloads {other.Type.Name} and {type.Name} both claim kind {(byte)attribute.Kind}");
            ByKind[(byte)attribute.Kind] = entry;
            entries.Add(entry);
        }
        ByType = entries.ToFrozenDictionary(e => e.Type);
        ByName = entries.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal); // throws on a duplicate name
        All = entries.OrderBy(e => e.Kind).ToList();
    }

    /// <summary>Every payload, in kind order.</summary>
    public static IReadOnlyList<Entry> All { get; }

    public static Entry? Find(TxKind kind) => ByKind[(byte)kind];

    public static Entry? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The kind's name ("transfer"); the enum name for a kind without a payload.</summary>
    public static string NameOf(TxKind kind) => Find(kind)?.Name ?? kind.ToString();

    public static TxKind KindOf(Type payloadType) => ByType[payloadType].Kind;

    public static TxPayload Decode(TxKind kind, RlpItem item) =>
        (Find(kind) ?? throw new RlpException($"unknown transaction kind {(byte)kind}")).Decode(item);
}
