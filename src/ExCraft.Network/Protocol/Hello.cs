using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Network.Protocol;

/// <summary>
/// The first encrypted frame each side sends: RLP [static public key (33 bytes, compressed),
/// signature (65 bytes), protocol version, chain id, genesis hash (32 bytes), listen port (0 =
/// not listening), node id (20 bytes)]. The signature is by the static key over
/// keccak256("ExCraft-P2P-v1 hello" || role || transcript hash), role 0x01 for the initiator's
/// Hello and 0x02 for the responder's.
/// </summary>
internal sealed record Hello(
    PublicKey StaticKey,
    Signature Signature,
    uint ProtocolVersion,
    ulong ChainId,
    byte[] GenesisHash,
    int ListenPort,
    Address NodeId)
{
    public static readonly byte[] SignatureDomain = "ExCraft-P2P-v1 hello"u8.ToArray();
    public const byte InitiatorRole = 0x01;
    public const byte ResponderRole = 0x02;

    public static byte[] SigningHash(byte role, ReadOnlySpan<byte> transcriptHash)
    {
        var data = new byte[SignatureDomain.Length + 1 + transcriptHash.Length];
        SignatureDomain.CopyTo(data, 0);
        data[SignatureDomain.Length] = role;
        transcriptHash.CopyTo(data.AsSpan(SignatureDomain.Length + 1));
        return Keccak256.Hash(data);
    }

    public static Hello Create(NodeKey key, NetworkIdentity identity, int listenPort, byte role, ReadOnlySpan<byte> transcriptHash) =>
        new(key.PublicKey,
            key.PrivateKey.Sign(SigningHash(role, transcriptHash)),
            identity.ProtocolVersion,
            identity.ChainId,
            identity.GenesisHash,
            listenPort,
            key.NodeId);

    public byte[] Encode() => Rlp.EncodeList(
        Rlp.EncodeBytes(StaticKey.Compressed),
        Rlp.EncodeBytes(Signature.ToBytes()),
        Rlp.EncodeUInt(ProtocolVersion),
        Rlp.EncodeUInt(ChainId),
        Rlp.EncodeBytes(GenesisHash),
        Rlp.EncodeUInt((ulong)ListenPort),
        Rlp.EncodeBytes(NodeId.ToBytes()));

    /// <summary>Parses the fields; throws <see cref="FormatException"/> (including <see cref="RlpException"/>) for malformed input. Does not check the signature.</summary>
    public static Hello Decode(ReadOnlySpan<byte> payload)
    {
        var f = Rlp.Decode(payload).ListOf(7, "hello");
        var key = new PublicKey(f[0].AsFixed(PublicKey.CompressedLength, "static public key"));
        if (!Signature.TryParse(f[1].AsFixed(Signature.Length, "signature"), out var signature, out var sigError))
            throw new FormatException($"hello signature: {sigError}");
        var version = f[2].AsUInt64();
        if (version > uint.MaxValue) throw new RlpException($"protocol version {version} does not fit 32 bits");
        var chainId = f[3].AsUInt64();
        var genesis = f[4].AsFixed(NetworkIdentity.GenesisHashLength, "genesis hash");
        var port = f[5].AsUInt64();
        if (port > 65535) throw new RlpException($"listen port {port} is out of range");
        var nodeId = new Address(f[6].AsFixed(Address.Length, "node id"));
        return new Hello(key, signature, (uint)version, chainId, genesis, (int)port, nodeId);
    }
}
