using ExCraft.Core.Encoding;

namespace ExCraft.Core.Transactions;

/// <summary>
/// A KYC authority attests that Account passed KYC; the attestation holds while the chain is
/// below ExpiryHeight (docs/kyc.md). A new attestation replaces the account's previous one.
/// </summary>
[TxPayloadKind(TxKind.KycAttest, "kyc_attest")]
public sealed record KycAttestPayload(Address Account, ulong ExpiryHeight) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Account.ToBytes()), Rlp.EncodeUInt(ExpiryHeight));

    public override IReadOnlyList<PayloadField> Describe() =>
        [PayloadField.Address("account", "account", Account), PayloadField.Integer("expiryHeight", "expiry height", ExpiryHeight)];

    internal static KycAttestPayload Decode(RlpItem item)
    {
        var f = item.ListOf(2, "kyc_attest payload");
        return new KycAttestPayload(new Address(f[0].AsFixed(Address.Length, "account")), f[1].AsUInt64());
    }
}

/// <summary>A KYC authority withdraws an account's attestation at once.</summary>
[TxPayloadKind(TxKind.KycRevoke, "kyc_revoke")]
public sealed record KycRevokePayload(Address Account) : TxPayload
{
    public override byte[] Encode() => Rlp.EncodeList(Rlp.EncodeBytes(Account.ToBytes()));

    public override IReadOnlyList<PayloadField> Describe() => [PayloadField.Address("account", "account", Account)];

    internal static KycRevokePayload Decode(RlpItem item)
    {
        var f = item.ListOf(1, "kyc_revoke payload");
        return new KycRevokePayload(new Address(f[0].AsFixed(Address.Length, "account")));
    }
}
