using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>The kind-specific part of a transaction, RLP-encoded as a list.</summary>
public abstract record TxPayload
{
    public abstract TxKind Kind { get; }

    public abstract byte[] Encode();

    /// <summary>Checks that need no state (ranges, formats); returns an error text or null.</summary>
    public virtual string? CheckStateless() => null;

    public static TxPayload Decode(TxKind kind, RlpItem item) => kind switch
    {
        TxKind.Transfer => TransferPayload.Decode(item),
        TxKind.IssueAsset => IssueAssetPayload.Decode(item),
        TxKind.Register => RegisterPayload.Decode(item),
        TxKind.CreateValidator => CreateValidatorPayload.Decode(item),
        TxKind.EditValidator => EditValidatorPayload.Decode(item),
        TxKind.Delegate => DelegatePayload.Decode(item),
        TxKind.Undelegate => UndelegatePayload.Decode(item),
        TxKind.Redelegate => RedelegatePayload.Decode(item),
        TxKind.Unjail => UnjailPayload.Decode(item),
        TxKind.SubmitEvidence => SubmitEvidencePayload.Decode(item),
        _ => throw new RlpException($"unknown transaction kind {(byte)kind}"),
    };
}

/// <summary>Moves an amount of any asset from the sender to another account.</summary>
public sealed record TransferPayload(Address To, string Asset, UInt128 Amount) : TxPayload
{
    public override TxKind Kind => TxKind.Transfer;

    public override byte[] Encode() =>
        Rlp.EncodeList(Rlp.EncodeBytes(To.ToBytes()), Rlp.EncodeString(Asset), Rlp.EncodeUInt(Amount));

    public override string? CheckStateless()
    {
        if (!AssetSymbol.IsValid(Asset, out var error)) return error;
        return Amount == 0 ? "transfer amount must be greater than zero" : null;
    }

    internal static TransferPayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "transfer payload");
        return new TransferPayload(new Address(f[0].AsFixed(Address.Length, "recipient")), f[1].AsUtf8(), f[2].AsUInt128());
    }
}

/// <summary>Creates a new asset; the whole supply is credited to the sender, who becomes its issuer.</summary>
public sealed record IssueAssetPayload(string Symbol, byte Decimals, UInt128 Supply) : TxPayload
{
    public override TxKind Kind => TxKind.IssueAsset;

    public override byte[] Encode() =>
        Rlp.EncodeList(Rlp.EncodeString(Symbol), Rlp.EncodeUInt(Decimals), Rlp.EncodeUInt(Supply));

    public override string? CheckStateless()
    {
        if (!AssetSymbol.IsValid(Symbol, out var error)) return error;
        if (Decimals > AssetSymbol.MaxDecimals) return $"asset decimals must be at most {AssetSymbol.MaxDecimals}, got {Decimals}";
        return Supply == 0 ? "asset supply must be greater than zero" : null;
    }

    internal static IssueAssetPayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "issue_asset payload");
        var decimals = f[1].AsUInt64();
        if (decimals > byte.MaxValue) throw new RlpException($"asset decimals {decimals} out of range");
        return new IssueAssetPayload(f[0].AsUtf8(), (byte)decimals, f[2].AsUInt128());
    }
}

/// <summary>Opts the sender in to PoE publication and rewards (SPEC 3).</summary>
public sealed record RegisterPayload : TxPayload
{
    public override TxKind Kind => TxKind.Register;

    public override byte[] Encode() => Rlp.EmptyList;

    internal static RegisterPayload Decode(RlpItem item)
    {
        item.ListOf(0, "register payload");
        return new RegisterPayload();
    }
}
