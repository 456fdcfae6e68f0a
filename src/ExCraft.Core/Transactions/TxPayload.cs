using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// The kind-specific part of a transaction, RLP-encoded as a list. A payload record carries a
/// [TxPayloadKind] attribute, a static Decode(RlpItem), its encoding and its self-description;
/// the checks and effects live in the owning module's handler (ExCraft.Chain.Modules).
/// </summary>
public abstract record TxPayload
{
    public TxKind Kind => TxPayloadCatalog.KindOf(GetType());

    /// <summary>The kind's name, as in the JSON-RPC transaction view ("transfer").</summary>
    public string Name => TxPayloadCatalog.NameOf(Kind);

    public abstract byte[] Encode();

    /// <summary>
    /// The payload's fields in order, typed, for the JSON-RPC view, receipts and the CLI; no
    /// viewer has per-kind code. A field may be derived (evidence shows the offender, not the votes).
    /// </summary>
    public abstract IReadOnlyList<PayloadField> Describe();

    public static TxPayload Decode(TxKind kind, RlpItem item) => TxPayloadCatalog.Decode(kind, item);
}
