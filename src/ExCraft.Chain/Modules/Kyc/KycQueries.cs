using ExCraft.Chain.State;
using ExCraft.Core;

namespace ExCraft.Chain.Modules.Kyc;

/// <summary>An account's KYC standing at a height: registered, its attestation (if any) and whether it counts as verified.</summary>
public sealed record KycStatusView(Address Account, bool Registered, KycAttestation? Attestation, ulong Height, bool Verified);

/// <summary>The kyc module's typed read API (JSON-RPC maps its records).</summary>
public sealed class KycQueries(IStateReader state)
{
    /// <summary>The account's status as the block at <paramref name="height"/> would see it.</summary>
    public KycStatusView Status(Address account, ulong height) =>
        new(account, AccountState.ReadRegistered(state, account), KycState.ReadAttestation(state, account), height, KycState.IsVerified(state, account, height));

    public IReadOnlyList<Address> Authorities() => KycState.ReadAuthorities(state);
}
