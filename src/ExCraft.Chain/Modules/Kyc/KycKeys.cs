using ExCraft.Core;

namespace ExCraft.Chain.Modules.Kyc;

/// <summary>State keys of the kyc module: prefix 0x0B, then 'A' ‖ authority (empty value) or 'a' ‖ account (the attestation).</summary>
public static class KycKeys
{
    public static readonly byte[] Prefix = [0x0B];

    private const byte AuthorityTag = (byte)'A';
    private const byte AttestationTag = (byte)'a';

    public static byte[] Authority(Address authority) => StateKey.Of(Prefix, AuthorityTag).Address(authority).Build();

    public static readonly byte[] AllAuthorities = StateKey.Of(Prefix, AuthorityTag).Build();

    public static Address AuthorityOfKey(byte[] key) => new StateKeyReader(key, Prefix.Length).Address();

    public static byte[] Attestation(Address account) => StateKey.Of(Prefix, AttestationTag).Address(account).Build();
}
