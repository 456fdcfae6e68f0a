using ExCraft.Chain.State;
using ExCraft.Core;
using ExCraft.Core.Encoding;

namespace ExCraft.Chain.Modules.Kyc;

/// <summary>One account's KYC attestation: valid while the chain is below ExpiryHeight; who attested it and at which height.</summary>
public sealed record KycAttestation(Address Account, ulong ExpiryHeight, Address Authority, ulong AttestedHeight)
{
    public bool ValidAt(ulong height) => height < ExpiryHeight;

    public byte[] Encode() => Rlp.EncodeList(Rlp.EncodeUInt(ExpiryHeight), Rlp.EncodeBytes(Authority.ToBytes()), Rlp.EncodeUInt(AttestedHeight));

    public static KycAttestation Decode(Address account, byte[] encoded)
    {
        var f = Rlp.Decode(encoded).ListOf(3, "kyc attestation");
        return new KycAttestation(account, f[0].AsUInt64(), new Address(f[1].AsFixed(Address.Length, "authority")), f[2].AsUInt64());
    }
}

/// <summary>
/// The kyc module's records and the one rule other modules read (SPEC 3): an account is
/// "verified" at a height when it is registered (accounts module) and holds an attestation that
/// has not expired at that height.
/// </summary>
public static class KycState
{
    public static bool IsVerified(IStateReader state, Address account, ulong height) => ReadStanding(state, account, height).Verified;

    /// <summary>Registered, and verified (registered and holding an attestation valid at <paramref name="height"/>): the one place of the rule.</summary>
    public static (bool Registered, bool Verified) ReadStanding(IStateReader state, Address account, ulong height)
    {
        var registered = AccountState.ReadRegistered(state, account);
        return (registered, registered && ReadAttestation(state, account) is { } a && a.ValidAt(height));
    }

    public static bool IsAuthority(IStateReader state, Address account) => state.Get(KycKeys.Authority(account)) is not null;

    /// <summary>The KYC authorities, in address order.</summary>
    public static IReadOnlyList<Address> ReadAuthorities(IStateReader state) =>
        state.IteratePrefix(KycKeys.AllAuthorities).Select(kv => KycKeys.AuthorityOfKey(kv.Key)).ToList();

    public static KycAttestation? ReadAttestation(IStateReader state, Address account) =>
        state.Get(KycKeys.Attestation(account)) is { } value ? KycAttestation.Decode(account, value) : null;

    public static void AddAuthority(StateOverlay state, Address authority) => state.Set(KycKeys.Authority(authority), []);

    public static void WriteAttestation(StateOverlay state, KycAttestation attestation) => state.Set(KycKeys.Attestation(attestation.Account), attestation.Encode());

    public static void DeleteAttestation(StateOverlay state, Address account) => state.Delete(KycKeys.Attestation(account));
}
