using ExCraft.Chain.Modules.Kyc;
using ExCraft.Chain.Tests.Pools;
using ExCraft.Core.Transactions;

namespace ExCraft.Chain.Tests.Kyc;

/// <summary>KYC attestations on a real chain: only authorities attest and revoke; "verified" needs registration and an unexpired attestation.</summary>
public sealed class KycTests : IDisposable
{
    private readonly PoolTestKit _k = new(); // account 0 is the KYC authority

    public void Dispose() => _k.Dispose();

    [Fact]
    public void Attestation_by_a_non_authority_is_refused_and_changes_nothing()
    {
        var before = _k.Balance(1);
        var error = _k.Fails(1, new KycAttestPayload(PoolTestKit.Accounts[2], 500));
        Assert.Equal($"{PoolTestKit.Accounts[1]} is not a KYC authority", error);
        Assert.Null(KycState.ReadAttestation(_k.State, PoolTestKit.Accounts[2]));
        Assert.Equal(before - TestChain.MinFee, _k.Balance(1));
        Assert.Equal([PoolTestKit.Accounts[0]], KycState.ReadAuthorities(_k.State));
    }

    [Fact]
    public void Verified_means_registered_and_attested_until_the_expiry_height()
    {
        var alice = PoolTestKit.Accounts[3];
        _k.Ok(0, new KycAttestPayload(alice, 20));
        var a = KycState.ReadAttestation(_k.State, alice)!;
        Assert.Equal((20UL, PoolTestKit.Accounts[0]), (a.ExpiryHeight, a.Authority));
        Assert.False(KycState.IsVerified(_k.State, alice, 5)); // attested but not registered
        _k.Ok(3, new RegisterPayload());
        Assert.True(KycState.IsVerified(_k.State, alice, 19));
        Assert.False(KycState.IsVerified(_k.State, alice, 20));
        Assert.True(KycModule.Queries(_k.State).Status(alice, 10).Verified);

        Assert.Contains("must be above the attestation's block height", _k.Fails(0, new KycAttestPayload(alice, 3)));
        Assert.Equal(20UL, KycState.ReadAttestation(_k.State, alice)!.ExpiryHeight);
        Assert.Contains("is not a KYC authority", _k.Fails(2, new KycRevokePayload(alice)));
        _k.Ok(0, new KycRevokePayload(alice));
        Assert.False(KycState.IsVerified(_k.State, alice, 10));
        Assert.Contains("has no KYC attestation to revoke", _k.Fails(0, new KycRevokePayload(alice)));
    }
}
