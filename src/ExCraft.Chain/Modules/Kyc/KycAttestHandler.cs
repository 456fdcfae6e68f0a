using System.Globalization;
using ExCraft.Chain.Execution;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Modules.Kyc;

/// <summary>kyc_attest (kind 40): a KYC authority attests an account until an expiry height above the current block; it replaces any earlier attestation.</summary>
public sealed class KycAttestHandler : TxHandler<KycAttestPayload>
{
    protected override string? CheckStateless(KycAttestPayload p) => p.ExpiryHeight == 0 ? "kyc expiry height must be greater than zero" : null;

    protected override IReadOnlyList<AssetAmount> Spend(KycAttestPayload p) => [];

    protected override void Apply(TxContext c, KycAttestPayload p)
    {
        if (!KycState.IsAuthority(c.State, c.Sender)) throw new TransactionFailedException($"{c.Sender} is not a KYC authority");
        if (p.ExpiryHeight <= c.Block.Height)
            throw new TransactionFailedException($"kyc expiry height {p.ExpiryHeight} must be above the attestation's block height {c.Block.Height}");
        KycState.WriteAttestation(c.State, new KycAttestation(p.Account, p.ExpiryHeight, c.Sender, c.Block.Height));
        c.Emit(ChainEvent.Of(KycModule.Events.Attested, ("account", p.Account.ToString()), ("authority", c.Sender.ToString()),
            ("expiryHeight", p.ExpiryHeight.ToString(CultureInfo.InvariantCulture))));
    }
}
