// TEMPORARY: compile-only shim for the crypto API being built on branch `crypto`; removed at merge.
namespace ExCraft.Core.Crypto;
public readonly struct Signature : IEquatable<Signature>
{
    public const int Length = 65;
    private readonly byte[] _b;
    public Signature(ReadOnlySpan<byte> bytes65) { _b = bytes65.ToArray(); }
    public byte[] ToBytes() => (byte[])_b.Clone();
    public byte RecoveryId => _b[64];
    public bool IsLowS => true;
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Signature signature, out string error) { signature = new Signature(bytes); error = ""; return bytes.Length == 65; }
    public bool Equals(Signature other) => _b.AsSpan().SequenceEqual(other._b);
}
public sealed class PublicKey { public PublicKey(ReadOnlySpan<byte> s) { } public byte[] Uncompressed => throw new NotImplementedException(); public byte[] Compressed => throw new NotImplementedException(); public Address Address => throw new NotImplementedException(); public bool Verify(ReadOnlySpan<byte> h, Signature s) => throw new NotImplementedException(); }
public sealed class PrivateKey { public PrivateKey(ReadOnlySpan<byte> s) { } public static PrivateKey Generate() => throw new NotImplementedException(); public static PrivateKey FromHex(string h) => throw new NotImplementedException(); public byte[] ToBytes() => throw new NotImplementedException(); public string ToHex() => throw new NotImplementedException(); public PublicKey PublicKey => throw new NotImplementedException(); public Address Address => throw new NotImplementedException(); public Signature Sign(ReadOnlySpan<byte> h) => throw new NotImplementedException(); }
public static class Secp256k1Recovery { public static bool TryRecoverAddress(ReadOnlySpan<byte> h, Signature s, out Address a, out string e) => throw new NotImplementedException(); }
public readonly record struct SignedHash(byte[] Hash, Signature Signature);
public sealed class ParallelSignatureRecovery { public ParallelSignatureRecovery(int? d = null) { } public Address?[] RecoverAddresses(IReadOnlyList<SignedHash> items) => throw new NotImplementedException(); }
