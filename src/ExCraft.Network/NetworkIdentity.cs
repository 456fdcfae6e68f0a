using ExCraft.Core.Encoding;

namespace ExCraft.Network;

/// <summary>
/// What a peer must share with us to be connected: the chain id, the 32-byte genesis block hash
/// and the P2P protocol version. Checked in the handshake; any difference rejects the peer.
/// </summary>
public sealed record NetworkIdentity
{
    public const int GenesisHashLength = 32;

    private readonly byte[] _genesisHash;

    public NetworkIdentity(ulong ChainId, byte[] GenesisHash, uint ProtocolVersion)
    {
        ArgumentNullException.ThrowIfNull(GenesisHash);
        if (GenesisHash.Length != GenesisHashLength)
            throw new ArgumentException($"genesis hash must be {GenesisHashLength} bytes, got {GenesisHash.Length}", nameof(GenesisHash));
        this.ChainId = ChainId;
        _genesisHash = GenesisHash.ToArray();
        this.ProtocolVersion = ProtocolVersion;
    }

    public ulong ChainId { get; }

    /// <summary>A copy of the 32 bytes.</summary>
    public byte[] GenesisHash => _genesisHash.ToArray();

    public uint ProtocolVersion { get; }

    internal ReadOnlySpan<byte> GenesisHashSpan => _genesisHash;

    public bool Equals(NetworkIdentity? other) =>
        other is not null && ChainId == other.ChainId && ProtocolVersion == other.ProtocolVersion &&
        _genesisHash.AsSpan().SequenceEqual(other._genesisHash);

    public override int GetHashCode() => HashCode.Combine(ChainId, ProtocolVersion, BitConverter.ToInt64(_genesisHash));

    public override string ToString() => $"chain {ChainId}, genesis {Hex.Encode(_genesisHash)}, protocol v{ProtocolVersion}";
}
