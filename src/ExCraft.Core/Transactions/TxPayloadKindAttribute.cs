namespace ExCraft.Core.Transactions;

/// <summary>
/// Marks a payload record with its kind number and its name (the "kind" of the JSON-RPC
/// transaction view, snake_case). <see cref="TxPayloadCatalog"/> finds payloads by it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TxPayloadKindAttribute(TxKind kind, string name) : Attribute
{
    public TxKind Kind { get; } = kind;
    public string Name { get; } = name;
}
