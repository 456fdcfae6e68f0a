using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>Moves an amount of any asset from the sender to another account.</summary>
[TxPayloadKind(TxKind.Transfer, "transfer")]
public sealed record TransferPayload(Address To, string Asset, UInt128 Amount) : TxPayload
{
    public override byte[] Encode() =>
        Rlp.EncodeList(Rlp.EncodeBytes(To.ToBytes()), Rlp.EncodeString(Asset), Rlp.EncodeUInt(Amount));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Address("to", "to", To), PayloadField.Asset("asset", "asset", Asset), PayloadField.Amount("amount", "amount", Amount, Asset)];

    internal static TransferPayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "transfer payload");
        return new TransferPayload(new Address(f[0].AsFixed(Address.Length, "recipient")), f[1].AsUtf8(), f[2].AsUInt128());
    }
}

/// <summary>Creates a new asset; the whole supply is credited to the sender, who becomes its issuer.</summary>
[TxPayloadKind(TxKind.IssueAsset, "issue_asset")]
public sealed record IssueAssetPayload(string Symbol, byte Decimals, UInt128 Supply) : TxPayload
{
    public override byte[] Encode() =>
        Rlp.EncodeList(Rlp.EncodeString(Symbol), Rlp.EncodeUInt(Decimals), Rlp.EncodeUInt(Supply));

    public override IReadOnlyList<PayloadField> Describe() =>
    [
        PayloadField.Asset("symbol", "symbol", Symbol), PayloadField.Integer("decimals", "decimals", Decimals),
        PayloadField.Amount("supply", "supply", Supply, Symbol, Decimals),
    ];

    internal static IssueAssetPayload Decode(RlpItem item)
    {
        var f = item.ListOf(3, "issue_asset payload");
        var decimals = f[1].AsUInt64();
        if (decimals > byte.MaxValue) throw new RlpException($"asset decimals {decimals} out of range");
        return new IssueAssetPayload(f[0].AsUtf8(), (byte)decimals, f[2].AsUInt128());
    }
}

/// <summary>Opts the sender in to PoE publication and rewards (SPEC 3).</summary>
[TxPayloadKind(TxKind.Register, "register")]
public sealed record RegisterPayload : TxPayload
{
    public override byte[] Encode() => Rlp.EmptyList;

    public override IReadOnlyList<PayloadField> Describe() => [];

    internal static RegisterPayload Decode(RlpItem item)
    {
        item.ListOf(0, "register payload");
        return new RegisterPayload();
    }
}
