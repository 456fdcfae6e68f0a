using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Kyc;

/// <summary>kyc_revoke (kind 41): a KYC authority removes an account's attestation at once (any authority, not only the one that attested).</summary>
public sealed class KycRevokeHandler : TxHandler<KycRevokePayload>
{
    protected override IReadOnlyList<AssetAmount> Spend(KycRevokePayload p) => [];

    protected override void Apply(TxContext c, KycRevokePayload p)
    {
        if (!KycState.IsAuthority(c.State, c.Sender)) throw new TransactionFailedException($"{c.Sender} is not a KYC authority");
        if (KycState.ReadAttestation(c.State, p.Account) is null) throw new TransactionFailedException($"{p.Account} has no KYC attestation to revoke");
        KycState.DeleteAttestation(c.State, p.Account);
        c.Emit(ChainEvent.Of(KycModule.Events.Revoked, ("account", p.Account.ToString()), ("authority", c.Sender.ToString())));
    }
}
