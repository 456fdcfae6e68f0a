using ExCraft.Chain.State;
using ExCraft.Core.Genesis;

namespace ExCraft.Chain.Modules.Kyc;

/// <summary>
/// KYC attestations (SPEC 3, docs/kyc.md; kinds 40-41 of the emission/PoE/KYC block). The KYC
/// authorities come from the genesis section "kyc" (until the DAO takes them over); only they
/// attest (account, expiry height) and revoke. <see cref="KycState.IsVerified"/> is the
/// "verified user" rule the pools module (and later the DAO) read. No block hooks: an
/// attestation simply stops counting at its expiry height.
/// </summary>
public sealed class KycModule : ChainModule
{
    public const string ModuleName = "kyc";

    /// <summary>Event types of the kyc module.</summary>
    public static class Events
    {
        public const string Attested = "kyc_attested";
        public const string Revoked = "kyc_revoked";
    }

    public override string Name => ModuleName;

    public override byte[] KeyPrefix => KycKeys.Prefix;

    public override IReadOnlyList<ITxHandler> Handlers { get; } = [new KycAttestHandler(), new KycRevokeHandler()];

    public override IReadOnlyList<string> EventTypes { get; } = [Events.Attested, Events.Revoked];

    public static KycQueries Queries(IStateReader state) => new(state);

    public override void InitGenesis(GenesisConfig genesis, StateOverlay state)
    {
        foreach (var authority in genesis.Kyc.Authorities) KycState.AddAuthority(state, authority);
    }
}
