using System.Security.Cryptography;
using ExCraft.Core;
using ExCraft.Core.Crypto;
using ExCraft.Core.Encoding;

namespace ExCraft.Network.Protocol;

/// <summary>The outcome of a successful handshake: the encrypted channel and the authenticated peer.</summary>
internal sealed record HandshakeResult(SecureChannel Channel, Hello Remote, byte[] SessionId);

/// <summary>
/// The authenticated key exchange, symmetric except for the role. See docs/network.md.
/// <code>
/// 1. both send  M = "EXCR" || 0x01 || ephemeral public key (33 bytes, compressed)   (38 bytes)
/// 2. th   = SHA-256("ExCraft-P2P-v1" || M_initiator || M_responder)
///    ikm  = Secp256k1Ecdh(ephemeral, peer ephemeral)       (sha256 of the compressed shared point)
///    prk  = HKDF-Extract(SHA-256, salt = th, ikm)
///    k_ir = HKDF-Expand(prk, "ExCraft-P2P-v1 initiator->responder", 32)
///    k_ri = HKDF-Expand(prk, "ExCraft-P2P-v1 responder->initiator", 32)
///    sid  = HKDF-Expand(prk, "ExCraft-P2P-v1 session id", 32)
/// 3. both send  frame [Hello, hello]  (the static key signs th, binding identity to this session)
/// 4. both check the other's Hello, then send frame [HelloAccepted] or frame [Disconnect, reason]
/// </code>
/// </summary>
internal static class Handshake
{
    public static readonly byte[] Magic = "EXCR"u8.ToArray();
    public const byte Version = 1;
    public const int FirstMessageSize = 4 + 1 + PublicKey.CompressedLength;

    /// <summary>Frame limit while handshaking: a Hello is about 170 bytes.</summary>
    public const int HandshakeMaxFrameSize = 1024;

    public static readonly byte[] TranscriptDomain = "ExCraft-P2P-v1"u8.ToArray();
    public static readonly byte[] InitiatorToResponderInfo = "ExCraft-P2P-v1 initiator->responder"u8.ToArray();
    public static readonly byte[] ResponderToInitiatorInfo = "ExCraft-P2P-v1 responder->initiator"u8.ToArray();
    public static readonly byte[] SessionIdInfo = "ExCraft-P2P-v1 session id"u8.ToArray();

    /// <summary>
    /// Runs the handshake on <paramref name="stream"/>. <paramref name="admit"/> sees the
    /// authenticated Hello and returns a refusal (e.g. banned, too many peers) or null.
    /// Throws <see cref="HandshakeException"/> for a refusal either way; I/O errors and
    /// cancellation propagate as they are.
    /// </summary>
    public static async Task<HandshakeResult> RunAsync(
        Stream stream,
        bool initiator,
        NodeKey nodeKey,
        NetworkIdentity identity,
        int listenPort,
        Address? expectedNodeId,
        Func<Hello, (DisconnectReason Reason, string Message)?> admit,
        int maxFrameSize,
        CancellationToken cancellationToken,
        PrivateKey? ephemeral = null)
    {
        ephemeral ??= PrivateKey.Generate();
        var mine = FirstMessage(ephemeral.PublicKey);
        await stream.WriteAsync(mine, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        var theirs = new byte[FirstMessageSize];
        var got = await stream.ReadAtLeastAsync(theirs, theirs.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < theirs.Length) throw new HandshakeException(DisconnectReason.ConnectionLost, $"connection closed after {got} of {FirstMessageSize} handshake bytes");
        var theirEphemeral = ParseFirstMessage(theirs);
        if (theirEphemeral == ephemeral.PublicKey)
            throw new HandshakeException(DisconnectReason.ProtocolViolation, "peer echoed our ephemeral key", ban: true);

        var transcript = TranscriptHash(initiator ? mine : theirs, initiator ? theirs : mine);
        var keys = DeriveKeys(Secp256k1Ecdh.SharedSecret(ephemeral, theirEphemeral), transcript);
        var channel = initiator
            ? new SecureChannel(stream, keys.InitiatorToResponder, keys.ResponderToInitiator, HandshakeMaxFrameSize)
            : new SecureChannel(stream, keys.ResponderToInitiator, keys.InitiatorToResponder, HandshakeMaxFrameSize);
        try
        {
            var myRole = initiator ? Hello.InitiatorRole : Hello.ResponderRole;
            var theirRole = initiator ? Hello.ResponderRole : Hello.InitiatorRole;
            var hello = Hello.Create(nodeKey, identity, listenPort, myRole, transcript);
            await channel.WriteAsync(Envelope.Encode(MessageTypes.Hello, hello.Encode()), cancellationToken).ConfigureAwait(false);

            var remote = await ReadHelloAsync(channel, cancellationToken).ConfigureAwait(false);
            try
            {
                Authenticate(remote, theirRole, transcript);
                var refusal = CheckCompatible(remote, nodeKey, identity, expectedNodeId) ?? admit(remote);
                if (refusal is { } r) throw new HandshakeException(r.Reason, r.Message, remoteNodeId: remote.NodeId);
            }
            catch (HandshakeException e) when (!e.ByRemote)
            {
                await TrySendDisconnectAsync(channel, e.Reason, e.Message, cancellationToken).ConfigureAwait(false);
                throw;
            }

            await channel.WriteAsync(Envelope.Encode(MessageTypes.HelloAccepted, []), cancellationToken).ConfigureAwait(false);
            await ReadVerdictAsync(channel, remote.NodeId, cancellationToken).ConfigureAwait(false);
            channel.MaxFrameSize = maxFrameSize;
            return new HandshakeResult(channel, remote, keys.SessionId);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    public static byte[] FirstMessage(PublicKey ephemeral)
    {
        var message = new byte[FirstMessageSize];
        Magic.CopyTo(message, 0);
        message[4] = Version;
        ephemeral.Compressed.CopyTo(message, 5);
        return message;
    }

    private static PublicKey ParseFirstMessage(byte[] message)
    {
        if (!message.AsSpan(0, 4).SequenceEqual(Magic))
            throw new HandshakeException(DisconnectReason.ProtocolViolation, $"not an ExCraft P2P handshake (first bytes {Hex.Encode(message.AsSpan(0, 4))})", ban: true);
        if (message[4] != Version)
            throw new HandshakeException(DisconnectReason.HandshakeVersionMismatch, $"handshake version {message[4]}, expected {Version}");
        if (!PublicKey.TryParse(message.AsSpan(5), out var key, out var error) || message[5] is not (0x02 or 0x03))
            throw new HandshakeException(DisconnectReason.ProtocolViolation, $"invalid ephemeral public key: {error}", ban: true);
        return key!;
    }

    public static byte[] TranscriptHash(ReadOnlySpan<byte> initiatorMessage, ReadOnlySpan<byte> responderMessage)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(TranscriptDomain);
        sha.AppendData(initiatorMessage);
        sha.AppendData(responderMessage);
        return sha.GetHashAndReset();
    }

    public static (byte[] InitiatorToResponder, byte[] ResponderToInitiator, byte[] SessionId) DeriveKeys(byte[] sharedSecret, byte[] transcriptHash)
    {
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, sharedSecret, transcriptHash);
        try
        {
            return (
                HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, InitiatorToResponderInfo),
                HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, ResponderToInitiatorInfo),
                HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, SessionIdInfo));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(sharedSecret);
        }
    }

    private static async Task<Hello> ReadHelloAsync(SecureChannel channel, CancellationToken cancellationToken)
    {
        var (type, payload) = await ReadFrameAsync(channel, "hello", cancellationToken).ConfigureAwait(false);
        if (type == MessageTypes.Disconnect) throw RemoteRefusal(payload, null);
        if (type != MessageTypes.Hello)
            throw new HandshakeException(DisconnectReason.ProtocolViolation, $"expected Hello, got {MessageTypes.Name(type)}", ban: true);
        try
        {
            return Hello.Decode(payload);
        }
        catch (FormatException e)
        {
            throw new HandshakeException(DisconnectReason.MalformedMessage, $"malformed Hello: {e.Message}", ban: true);
        }
    }

    private static async Task ReadVerdictAsync(SecureChannel channel, Address remoteId, CancellationToken cancellationToken)
    {
        var (type, payload) = await ReadFrameAsync(channel, "handshake verdict", cancellationToken).ConfigureAwait(false);
        if (type == MessageTypes.HelloAccepted && payload.Length == 0) return;
        if (type == MessageTypes.Disconnect) throw RemoteRefusal(payload, remoteId);
        throw new HandshakeException(DisconnectReason.ProtocolViolation, $"expected HelloAccepted, got {MessageTypes.Name(type)}", ban: true, remoteNodeId: remoteId);
    }

    private static async Task<(uint Type, byte[] Payload)> ReadFrameAsync(SecureChannel channel, string what, CancellationToken cancellationToken)
    {
        byte[]? plaintext;
        try
        {
            plaintext = await channel.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FrameException e)
        {
            throw new HandshakeException(e.Reason, $"{what}: {e.Message}", ban: true);
        }
        if (plaintext is null) throw new HandshakeException(DisconnectReason.ConnectionLost, $"connection closed while waiting for the {what}");
        try
        {
            return Envelope.Decode(plaintext);
        }
        catch (RlpException e)
        {
            throw new HandshakeException(DisconnectReason.MalformedMessage, $"{what}: malformed message: {e.Message}", ban: true);
        }
    }

    private static HandshakeException RemoteRefusal(byte[] payload, Address? remoteId)
    {
        try
        {
            var (reason, text) = DisconnectMessage.Decode(payload);
            return new HandshakeException(reason, $"refused by peer: {text} ({reason})", remoteNodeId: remoteId, byRemote: true);
        }
        catch (RlpException e)
        {
            return new HandshakeException(DisconnectReason.MalformedMessage, $"malformed Disconnect: {e.Message}", ban: true, remoteNodeId: remoteId);
        }
    }

    /// <summary>
    /// The Hello is signed by the key it carries, and its node id is that key's address. Failures
    /// carry no node id: an unauthenticated claim must never get someone else's id banned.
    /// </summary>
    private static void Authenticate(Hello remote, byte role, byte[] transcript)
    {
        if (remote.NodeId != remote.StaticKey.Address)
            throw new HandshakeException(DisconnectReason.ProtocolViolation,
                $"Hello node id {remote.NodeId} is not the address of its key ({remote.StaticKey.Address})", ban: true);
        if (!remote.StaticKey.Verify(Hello.SigningHash(role, transcript), remote.Signature))
            throw new HandshakeException(DisconnectReason.BadSignature,
                $"Hello signature of claimed node {remote.NodeId} does not verify over this session's transcript", ban: true);
    }

    private static (DisconnectReason Reason, string Message)? CheckCompatible(Hello remote, NodeKey nodeKey, NetworkIdentity identity, Address? expectedNodeId)
    {
        if (remote.ProtocolVersion != identity.ProtocolVersion)
            return (DisconnectReason.ProtocolVersionMismatch, $"protocol version {remote.ProtocolVersion}, expected {identity.ProtocolVersion}");
        if (remote.ChainId != identity.ChainId)
            return (DisconnectReason.ChainIdMismatch, $"chain id {remote.ChainId}, expected {identity.ChainId}");
        if (!identity.GenesisHashSpan.SequenceEqual(remote.GenesisHash))
            return (DisconnectReason.GenesisMismatch, $"genesis hash {Hex.Encode(remote.GenesisHash)}, expected {Hex.Encode(identity.GenesisHashSpan)}");
        if (expectedNodeId is { } expected && expected != remote.NodeId)
            return (DisconnectReason.UnexpectedNodeId, $"expected node {expected}, but the peer authenticated as {remote.NodeId}");
        if (remote.NodeId == nodeKey.NodeId)
            return (DisconnectReason.SelfConnection, "connected to ourselves");
        return null;
    }

    private static async Task TrySendDisconnectAsync(SecureChannel channel, DisconnectReason reason, string message, CancellationToken cancellationToken)
    {
        try
        {
            await channel.WriteAsync(Envelope.Encode(MessageTypes.Disconnect, DisconnectMessage.Encode(reason, message)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or FrameException or System.Net.Sockets.SocketException)
        {
            // Best effort: the peer may already have closed.
        }
    }
}
